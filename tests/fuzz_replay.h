// Runs a libFuzzer entry point inside the ordinary test run, so that every build (not only the
// clang fuzz build) feeds each decoder mutated seeds and random bytes. Header-only; tests only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zhizao::fuzz_replay {

// 1 to 4 edits: overwrite, insert, erase a run, cut, or duplicate a slice (long lines, deep
// nesting). Half of the characters written come from `interesting`, the decoder's syntax.
inline std::string Mutate(std::string input, std::string_view interesting, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.empty() ? 0 : rng() % input.size();
    const char c = rng() % 2 ? interesting[rng() % interesting.size()] : static_cast<char>(rng());
    switch (rng() % 5) {
      case 0:
        if (at < input.size()) input[at] = c;
        break;
      case 1: input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), c); break;
      case 2:
        if (at < input.size()) input.erase(at, 1 + rng() % 8);
        break;
      case 3: input.resize(at); break;
      case 4:
        if (at < input.size()) input.insert(at, input.substr(at, rng() % 32));
        break;
    }
  }
  return input;
}

// Feeds every seed, then `count` seeds mutated one to three times.
template <typename Feed>
void Mutated(const std::vector<std::string>& seeds, std::string_view interesting, int count, Feed&& feed) {
  std::mt19937_64 rng(20261128);
  for (const std::string& seed : seeds) feed(seed);
  for (int i = 0; i < count; ++i) {
    std::string input = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int round = 0; round < 1 + i % 3; ++round) input = Mutate(std::move(input), interesting, rng);
    feed(input);
  }
}

// Feeds `count` inputs of up to 200 bytes: every other one from `alphabet`, the rest any bytes.
template <typename Feed>
void Random(std::string_view alphabet, int count, Feed&& feed) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < count; ++i) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = i % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
    feed(input);
  }
}

}  // namespace zhizao::fuzz_replay
