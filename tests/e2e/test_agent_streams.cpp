// End-to-end tests of the job's output: byte-exact on both streams at any size.

#include <catch2/catch.hpp>

#include "agent_harness.hpp"

using namespace vtsubmit::test;
using namespace std::chrono_literals;

namespace {

// Returns the part of the .o log that the job wrote: between the start banner and the end banner.
std::string job_part_of_out(const std::string& out) {
  const std::string separator(71, '_');
  const std::string start_marker = separator + "\n \n";
  const auto start = out.find(start_marker);
  const auto end = out.rfind(separator + "\n");
  if (start == std::string::npos || end == std::string::npos || end < start + start_marker.size()) {
    return "<banners not found>";
  }
  return out.substr(start + start_marker.size(), end - start - start_marker.size());
}

}  // namespace

TEST_CASE("e2e 100 MiB on both streams arrive intact", "[e2e][streams]") {
  AgentTree agent;
  // 64-byte lines, 1,638,400 of them: exactly 100 MiB per stream, written at the same time.
  agent.environment["TOM_SCRIPT"] = agent.write_script("big.sh", R"SH(#!/bin/sh
yes 'stderr-line-0123456789-0123456789-0123456789-0123456789-0123456' | head -c 104857600 >&2 &
yes 'stdout-line-0123456789-0123456789-0123456789-0123456789-0123456' | head -c 104857600
wait
)SH").string();
  const auto run = agent.run({}, "test", 120s);
  REQUIRE(run.exit_code == 0);

  const std::string out_line = "stdout-line-0123456789-0123456789-0123456789-0123456789-0123456\n";
  const std::string err_line = "stderr-line-0123456789-0123456789-0123456789-0123456789-0123456\n";
  REQUIRE(out_line.size() == 64);
  const auto job_out = job_part_of_out(run.out);
  REQUIRE(job_out.size() == 104857600);
  REQUIRE(run.err.size() == 104857600);
  bool out_ok = true;
  bool err_ok = true;
  for (std::size_t i = 0; i < job_out.size(); i += 64) {
    out_ok = out_ok && job_out.compare(i, 64, out_line) == 0;
    err_ok = err_ok && run.err.compare(i, 64, err_line) == 0;
  }
  CHECK(out_ok);
  CHECK(err_ok);
}

TEST_CASE("e2e binary output is byte exact", "[e2e][streams]") {
  AgentTree agent;
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  }
  bytes += "\xff\xfe invalid UTF-8 \xc3\x28 and a NUL \0 end";
  agent.write_file(agent.home / "payload.bin", bytes);
  agent.environment["TOM_SCRIPT"] = "cat \"$TOM_HOME/payload.bin\"; cat \"$TOM_HOME/payload.bin\" >&2";
  const auto run = agent.run({});
  REQUIRE(run.exit_code == 0);
  CHECK(job_part_of_out(run.out) == bytes);
  CHECK(run.err == bytes);
}

TEST_CASE("e2e streams are never mixed", "[e2e][streams]") {
  AgentTree agent;
  agent.environment["TOM_SCRIPT"] = "i=0; while [ $i -lt 2000 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done";
  const auto run = agent.run({});
  REQUIRE(run.exit_code == 0);
  std::string expected_out;
  std::string expected_err;
  for (int i = 0; i < 2000; ++i) {
    expected_out += "out " + std::to_string(i) + "\n";
    expected_err += "err " + std::to_string(i) + "\n";
  }
  CHECK(job_part_of_out(run.out) == expected_out);
  CHECK(run.err == expected_err);
}
