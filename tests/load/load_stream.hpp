#pragma once

// The reproducible byte streams of the load test, shared by the job and the checker.

#include <cstdint>
#include <string>

namespace vtsubmit::load {

// xorshift64*: fast, and the same sequence for the same seed on every run.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed * 2654435761u + 0x9E3779B97F4A7C15ull) {}
  std::uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }

 private:
  std::uint64_t state_;
};

// Returns `size` bytes of the stream of `seed`: every byte value, NUL and newline included.
inline std::string stream_bytes(std::uint64_t seed, std::size_t size) {
  Random random(seed);
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t value = random.next();
    for (std::size_t j = 0; j < 8 && i + j < size; ++j) {
      bytes[i + j] = static_cast<char>(value >> (8 * j));
    }
  }
  return bytes;
}

}  // namespace vtsubmit::load
