// `zhizao write`: line protocol from a file or stdin to a server's POST /write.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/client_common.h"
#include "app/commands.h"
#include "app/line_poster.h"

namespace zhizao::app {
namespace {

// Blank lines and comments are not points: they are not sent, so that the count is of points.
bool IsPoint(std::string_view line) {
  size_t first = line.find_first_not_of(" \t\r");
  return first != std::string_view::npos && line[first] != '#';
}

// Feeds `in` to the poster line by line, numbered from 1; the file is read in pieces, so that
// its size is not bounded by memory.
Status PostLines(std::FILE* in, const std::string& name, LinePoster& poster) {
  std::string pending;
  int64_t line_number = 0;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), in)) > 0) {
    pending.append(buffer, n);
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string_view line(pending.data() + start, end - start);
      ++line_number;
      if (IsPoint(line)) ZZ_RETURN_IF_ERROR(poster.Add(line, line_number));
    }
    pending.erase(0, start);
  }
  if (std::ferror(in)) return Status::IOError("cannot read " + name + ": " + std::strerror(errno));
  if (IsPoint(pending)) ZZ_RETURN_IF_ERROR(poster.Add(pending, line_number + 1));
  return poster.Flush();
}

// The server's reasons for the lines it dropped, then the count.
int ReportOutcome(const LinePoster& poster, const std::string& db) {
  for (const std::string& error : poster.line_errors()) std::fprintf(stderr, "%s\n", error.c_str());
  std::printf("%lld points written to %s\n", static_cast<long long>(poster.points_written()), db.c_str());
  if (poster.lines_rejected() == 0) return kExitOk;
  std::fprintf(stderr, "zhizao: write: partial write: %lld lines rejected\n",
               static_cast<long long>(poster.lines_rejected()));
  return kExitFailure;
}

}  // namespace

int RunWrite(const WriteFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("write", client.status(), kExitUsage);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (flags.file != "-") {
    file.reset(std::fopen(flags.file.c_str(), "rb"));
    if (!file) {
      return Report("write", Status::IOError("cannot open " + flags.file + ": " + std::strerror(errno)), kExitUsage);
    }
  }
  LinePoster poster(**client, {.database = flags.db,
                               .precision = flags.precision,
                               .batch_bytes = static_cast<size_t>(flags.batch_bytes),
                               .gzip = flags.gzip});
  Status sent = PostLines(file ? file.get() : stdin, flags.file, poster);
  if (!sent.ok()) {
    for (const std::string& error : poster.line_errors()) std::fprintf(stderr, "%s\n", error.c_str());
    std::fprintf(stderr, "zhizao: write: %s (%lld points written before)\n", sent.message().c_str(),
                 static_cast<long long>(poster.points_written()));
    return kExitFailure;
  }
  return ReportOutcome(poster, flags.db);
}

}  // namespace zhizao::app
