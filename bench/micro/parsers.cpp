// Google Benchmark micro-benchmarks of vtsubmit's two parsers: the init-file interpreter
// (vtom_init.ksh) and the queue-file reader (TOML).
//
// Usage: vtbench-parsers [--init-file=PATH] [Google Benchmark flags]
// Without --init-file, only the built-in inputs are measured; bench/run passes the generated
// 10,000-line init file.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "common/environment.hpp"
#include "common/ksh_init.hpp"
#include "common/queue_file.hpp"

namespace {

using vtsubmit::Environment;

// The sample agent's init file, as the installer writes it, with two site lines.
constexpr std::string_view sample_init = R"(# Agent environment
TOM_ADMIN=$TOM_HOME/admin ; export TOM_ADMIN
ABM=$TOM_HOME/abm ; export ABM
ABM_BIN=$ABM/bin ; export ABM_BIN
ABM_SPOOL=$ABM/spool ; export ABM_SPOOL
TOM_LOG_DIR=$TOM_HOME/logs ; export TOM_LOG_DIR
PATH=$PATH:$ABM_BIN ; export PATH

export SAMPLE_GREETING="Bonjour from vtom_init"
sample_internal=not-for-the-job
)";

// A queue file that sets every key.
constexpr std::string_view full_queue_file = R"(# Queue file with every key
language = "fr"
init = ["$TOM_ADMIN/vtom_init.ksh", "${TOM_ADMIN}/site.ksh"]
workdir = "$TOM_HOME/work"

[script]
interpreter = ["/bin/sh"]
inline = ["/bin/sh", "-c"]

[stop]
grace = 10
drain = 5
leftovers = "kill"

[tsend]
timeout = 60
)";

// The environment an agent gives a job: the spool file's variables plus the agent's own.
Environment agent_environment() {
  return Environment::from_entries({
      "PATH=/usr/bin:/bin", "HOME=/opt/vtom", "LANG=C.UTF-8", "TOM_HOME=/opt/vtom",
      "TOM_ADMIN=/opt/vtom/admin", "TOM_JOB_ID=-2", "TOM_SCRIPT=/opt/vtom/scripts/job.sh",
      "TOM_SCRIPT_ARGS=", "TOM_ENVIRONMENT=DEMO", "TOM_APPLICATION=APP", "TOM_JOB=JOB",
      "TOM_FAMILY=", "TOM_JOB_EXEC=NORMAL", "TOM_QUEUE=queue_ksh", "TOM_QUEUE_PRIORITY=5",
      "TOM_USER=vtom", "TOM_HOST=agent1", "TOM_REMOTE_SERVER=server1", "TOM_DATE=DATE_DEMO",
      "TOM_DATE_VALUE=04/12/2026", "TOM_PERIODICITY=DAY", "TOM_LOG_ACTION=   ",
      "TOM_JOB_RETRY=0", "TOM_JOB_MAX_RETRY=0", "TOM_JOB_REMAIN_RETRY=0", "TOM_JOB_POINT=0",
      "TOM_RECOVERY_MODE=NO", "TOM_ABORT_SIGNAL=9", "TOM_LOG=/opt/vtom/logs/DEMO_APP_JOB",
      "JOB_TYPE=AUTO", "job_id=1", "job_user=vtom",
  });
}

// Evaluates `text` as `. file` would, then takes the job's environment, as vtsubmit does.
void evaluate_init(benchmark::State& state, std::string_view text) {
  const Environment environment = agent_environment();
  const auto lines = std::count(text.begin(), text.end(), '\n');
  std::size_t diagnostic_count = 0;
  for (auto _ : state) {
    vtsubmit::KshInterpreter interpreter(environment);
    std::vector<vtsubmit::InitDiagnostic> diagnostics;
    interpreter.evaluate(text, "/opt/vtom/admin/vtom_init.ksh", diagnostics);
    auto exported = interpreter.exported();
    benchmark::DoNotOptimize(exported);
    diagnostic_count = diagnostics.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["diagnostics"] = static_cast<double>(diagnostic_count);
}

void parse_queue(benchmark::State& state, std::string_view text) {
  for (auto _ : state) {
    auto config = vtsubmit::parse_queue_file(text, "/opt/vtom/admin/tom_submit.bench");
    benchmark::DoNotOptimize(config);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}

void BM_InitSample(benchmark::State& state) { evaluate_init(state, sample_init); }
BENCHMARK(BM_InitSample);

void BM_QueueFileEmpty(benchmark::State& state) { parse_queue(state, ""); }
BENCHMARK(BM_QueueFileEmpty);

void BM_QueueFileAllKeys(benchmark::State& state) { parse_queue(state, full_queue_file); }
BENCHMARK(BM_QueueFileAllKeys);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);

  // --init-file=PATH registers one more benchmark on that file; other flags are errors.
  static std::string init_text;
  constexpr std::string_view init_flag = "--init-file=";
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument.substr(0, init_flag.size()) != init_flag) {
      std::cerr << "vtbench-parsers: unknown argument " << argument
                << ". Use --init-file=PATH or a Google Benchmark flag (--help).\n";
      return 2;
    }
    const std::string path(argument.substr(init_flag.size()));
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
      std::cerr << "vtbench-parsers: cannot read init file " << path << "\n";
      return 2;
    }
    init_text.assign(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
    benchmark::RegisterBenchmark("BM_InitFile", [](benchmark::State& state) { evaluate_init(state, init_text); });
  }

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
