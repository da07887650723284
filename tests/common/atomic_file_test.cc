#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>


namespace zhizao {
namespace {

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("zz-atomic-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(AtomicFileTest, ReplacesTheWholeFileAndLeavesNoTemporary) {
  TempDir dir;
  std::string path = dir.File("state.bin");
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, std::string("sec\0nd", 6)).ok());
  EXPECT_EQ(*ReadWholeFile(path), std::string("sec\0nd", 6));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(AtomicFileTest, AFailedWriteKeepsTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  std::string path = dir.File("state.bin");
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ::chmod(dir.path().c_str(), 0500);
  Status status = WriteFileAtomically(path, "new");
  ::chmod(dir.path().c_str(), 0700);
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("cannot write " + path), std::string::npos) << status.ToString();
  EXPECT_EQ(*ReadWholeFile(path), "old");
}

TEST(AtomicFileTest, AMissingDirectoryIsAnIoErrorNamingThePath) {
  Status status = WriteFileAtomically("/nonexistent-zz/dir/state.bin", "x");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("/nonexistent-zz/dir/state.bin"), std::string::npos);
}

TEST(AtomicFileTest, ReadingAMissingFileIsNotFound) {
  EXPECT_EQ(ReadWholeFile("/nonexistent-zz/state.bin").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace zhizao
