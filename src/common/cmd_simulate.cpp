#include "common/cmd_simulate.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common/job_flow.hpp"
#include "common/spool_files.hpp"

namespace vtsubmit {

namespace {

constexpr int usage_error_code = 2;

std::filesystem::path utf8_path(const std::string& path) {
  return std::filesystem::path(std::u8string(path.begin(), path.end()));
}

std::string path_string(const std::filesystem::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}

std::tm local_time(std::time_t time) {
  // std::localtime's static buffer is fine: vtsubmit formats dates from one thread only.
  const std::tm* local = std::localtime(&time);
  return local != nullptr ? *local : std::tm{};
}

// Path of the dump that the DMZ stand-in wrote, and whether the write succeeded, for the summary.
struct DumpOutcome {
  std::string path;
  bool written = false;
};

// The tsend of a DMZ agent: writes job_<IPID>.dmp in `spool`, then runs vtgestlog and gestlog.
ReportFunction dmz_report(std::string spool, std::string ipid, std::shared_ptr<DumpOutcome> outcome) {
  return [spool = std::move(spool), ipid = std::move(ipid), outcome](
             Log& log, const ReportSettings& settings, JobStatus status, long code, const std::string& message) {
    log.flush();
    const Environment& env = *settings.environment;
    DumpRecord record;
    record.job_id = env.get_or("TOM_JOB_ID");
    record.ipid = ipid;
    record.environment = env.get_or("TOM_ENVIRONMENT");
    record.application = env.get_or("TOM_APPLICATION");
    record.job = env.get_or("TOM_JOB");
    record.host = env.get_or("TOM_HOST");
    record.code = code;
    record.message = message;
    record.status = status;
    record.end = local_time(std::time(nullptr));

    const auto path = utf8_path(spool) / ("job_" + ipid + ".dmp");
    outcome->path = path_string(path);
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream << dump_text(record);
    stream.close();
    outcome->written = static_cast<bool>(stream);
    if (!outcome->written) {
      log.error({Msg::simulate_dump_failed, {outcome->path}});
    }

    run_log_programs(log, settings);
    return outcome->written;
  };
}

}  // namespace

int run_simulate(const SimulateOptions& options, Log& log) {
  RunOptions run;
  run.agent_environment = platform::current_environment();

  std::vector<std::pair<std::string, std::string>> spool_environment;
  std::vector<std::string> parameters = options.parameters;
  try {
    spool_environment = load_env_file(options.env_file);
    if (!options.par_file.empty()) {
      if (!parameters.empty()) {
        log.error({Msg::simulate_par_and_parameters, {options.par_file}});
        return usage_error_code;
      }
      parameters = load_par_file(options.par_file);
    }
  } catch (const SpoolFileError& error) {
    log.error(error.message());
    return usage_error_code;
  }
  for (const auto& [name, value] : spool_environment) {
    run.agent_environment.set(name, value);
  }
  Environment& env = run.agent_environment;

  // The agent names the spool files after the IPID and sets job_id to it.
  auto ipid = ipid_from_spool_path(options.env_file);
  if (!ipid && env.has_value("job_id")) {
    ipid = env.get_or("job_id");
  }
  if (!ipid) {
    log.error({Msg::simulate_no_ipid, {options.env_file}});
    return usage_error_code;
  }
  env.set("job_id", *ipid);

  std::string logs = options.logs_directory;
  if (logs.empty() && env.has_value("TOM_HOME")) {
    logs = path_string(utf8_path(env.get_or("TOM_HOME")) / "logs");
  }
  std::error_code error;
  if (logs.empty() || !std::filesystem::is_directory(utf8_path(logs), error)) {
    log.error({Msg::simulate_logs_missing, {logs.empty() ? std::string("$TOM_HOME/logs") : logs}});
    return usage_error_code;
  }
  const auto start = local_time(std::time(nullptr));
  const auto log_prefix = path_string(utf8_path(logs) / job_log_name(env.get_or("TOM_ENVIRONMENT"),
                                                                       env.get_or("TOM_APPLICATION"),
                                                                       env.get_or("TOM_JOB"), start));
  env.set("TOM_LOG", log_prefix);

  // The stand-in replaces tsend when there is none to call, or on request.
  const bool tsend_present = env.has_value("ABM_BIN") &&
      std::filesystem::is_regular_file(utf8_path(platform::program_path(env.get_or("ABM_BIN"), "tsend")), error);
  auto dump = std::make_shared<DumpOutcome>();
  const bool use_stand_in = options.dmz || !tsend_present;
  if (use_stand_in) {
    const auto spool = env.has_value("ABM_SPOOL") ? env.get_or("ABM_SPOOL")
                                                  : path_string(utf8_path(options.env_file).parent_path());
    run.report = dmz_report(spool.empty() ? std::string(".") : spool, *ipid, dump);
    if (options.dmz) {
      env.set("TOM_ABMCONNECTTOSERVER", "0");
    }
  }

  QueueInvocation invocation{options.queue_file, parameters, ""};
  const auto out_path = log_prefix + ".o";
  const auto err_path = log_prefix + ".e";
  platform::SavedOutput saved;
  if (const auto redirect_error = platform::redirect_output(out_path, err_path, saved)) {
    log.error({Msg::simulate_log_open_failed, {out_path, redirect_error.message()}});
    return usage_error_code;
  }
  const int code = run_queue(invocation, run);
  platform::restore_output(saved);

  log.out(log.text(Msg::simulate_out_log, out_path));
  log.out(log.text(Msg::simulate_err_log, err_path));
  if (use_stand_in && !dump->path.empty()) {
    log.out(log.text(dump->written ? Msg::simulate_dump_written : Msg::simulate_dump_failed, dump->path));
  } else if (use_stand_in) {
    log.out(log.text(Msg::simulate_no_report));
  } else {
    log.out(log.text(Msg::simulate_tsend_called, platform::program_path(env.get_or("ABM_BIN"), "tsend")));
  }
  log.out(log.text(Msg::simulate_exit_code, std::to_string(code)));
  log.flush();
  return code;
}

}  // namespace vtsubmit
