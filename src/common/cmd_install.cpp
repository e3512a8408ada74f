#include "common/cmd_install.hpp"

#include <filesystem>
#include <fstream>

#include "common/platform.hpp"
#include "common/queue_install.hpp"

namespace vtsubmit {

namespace {

std::filesystem::path utf8_path(const std::string& path) {
  return std::filesystem::path(std::u8string(path.begin(), path.end()));
}

QueueInstallRequest make_request(const InstallOptions& options, Language language) {
  QueueInstallRequest request;
  request.tom_home = options.tom_home;
  request.name = options.name;
  request.queue_name = options.queue_name;
  request.max_jobs = options.max_jobs;
  request.interpreter = options.interpreter;
  request.vtsubmit_path = options.vtsubmit_path.empty() ? platform::self_executable_path() : options.vtsubmit_path;
  request.language = language;
  return request;
}

// True when a file or a link (even a dangling one) is at `path`.
bool entry_exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::symlink_status(utf8_path(path), error).type() != std::filesystem::file_type::not_found;
}

bool print_problems(Log& log, const std::vector<Message>& problems) {
  for (const auto& problem : problems) {
    log.error(problem);
  }
  return !problems.empty();
}

std::error_code write_text(const std::string& path, const std::string& text) {
  std::ofstream stream(utf8_path(path), std::ios::binary | std::ios::trunc);
  stream << text;
  stream.close();
  return stream ? std::error_code() : std::make_error_code(std::errc::io_error);
}

std::error_code write_entry(const QueueFile& file) {
  std::error_code error;
  if (entry_exists(file.path)) {
    std::filesystem::remove(utf8_path(file.path), error);
    if (error) {
      return error;
    }
  }
  if (file.kind == QueueFile::Kind::program_link) {
    return platform::create_program_link(file.content, file.path);
  }
  return write_text(file.path, file.content);
}

}  // namespace

int run_install_queue(const InstallOptions& options, Log& log) {
  const auto request = make_request(options, log.language());
  if (print_problems(log, validate_queue_request(request))) {
    return 1;
  }
  const auto plan = plan_queue_install(request);

  std::vector<Message> problems;
  for (const auto& file : plan.files) {
    if (entry_exists(file.path) && !options.force) {
      problems.push_back({Msg::install_file_exists, {file.path}});
    }
  }
  if (print_problems(log, problems)) {
    return 1;
  }

  if (options.dry_run) {
    log.out(log.text(Msg::install_dry_run));
  }
  std::error_code error;
  const auto directory = utf8_path(plan.queue_directory);
  if (!std::filesystem::is_directory(directory, error)) {
    log.out(log.text(options.dry_run ? Msg::install_would_create_folder : Msg::install_creating_folder,
                     plan.queue_directory));
    if (!options.dry_run && !std::filesystem::create_directory(directory, error)) {
      log.error({Msg::install_write_failed, {plan.queue_directory, error.message()}});
      return 1;
    }
  }
  for (const auto& file : plan.files) {
    const bool link = file.kind == QueueFile::Kind::program_link;
    if (options.dry_run) {
      log.out(link ? log.text(Msg::install_would_link, file.path, file.content) : log.text(Msg::install_would_write, file.path));
      continue;
    }
    if (const auto write_error = write_entry(file)) {
      log.error({Msg::install_write_failed, {file.path, write_error.message()}});
      return 1;
    }
    log.out(link ? log.text(Msg::install_linked, file.path, file.content) : log.text(Msg::install_wrote, file.path));
  }
  if (!options.dry_run) {
    log.out(log.text(Msg::install_restart_reminder, request.queue_name.empty() ? "queue_" + request.name
                                                                                : request.queue_name));
  }
  log.flush();
  return 0;
}

int run_uninstall_queue(const InstallOptions& options, Log& log) {
  auto request = make_request(options, log.language());
  std::vector<Message> problems;
  for (auto& problem : validate_queue_request(request)) {
    // vtsubmit's own path matters only to install.
    if (problem.id != Msg::install_vtsubmit_missing) {
      problems.push_back(std::move(problem));
    }
  }
  if (print_problems(log, problems)) {
    return 1;
  }
  const auto plan = plan_queue_install(request);

  // queue.conf line 4 must name this queue's program, so another queue of the same folder name
  // is not removed by mistake.
  const auto& queue_conf = plan.files.front();
  std::string text;
  if (entry_exists(queue_conf.path) && !platform::read_file(queue_conf.path, text, 64 * 1024)) {
    const auto program = plan.files[2].path;
    if (text.find("\n" + program + "\n") == std::string::npos && !options.force) {
      log.error({Msg::uninstall_other_program, {queue_conf.path, program}});
      return 1;
    }
  }

  if (options.dry_run) {
    log.out(log.text(Msg::install_dry_run));
  }
  bool removed_any = false;
  for (const auto& file : plan.files) {
    if (!entry_exists(file.path)) {
      log.out(log.text(Msg::uninstall_absent, file.path));
      continue;
    }
    removed_any = true;
    if (options.dry_run) {
      log.out(log.text(Msg::uninstall_would_remove, file.path));
      continue;
    }
    std::error_code error;
    std::filesystem::remove(utf8_path(file.path), error);
    if (error) {
      log.error({Msg::uninstall_remove_failed, {file.path, error.message()}});
      return 1;
    }
    log.out(log.text(Msg::uninstall_removed, file.path));
  }
  std::error_code error;
  const auto directory = utf8_path(plan.queue_directory);
  if (std::filesystem::is_directory(directory, error)) {
    if (options.dry_run) {
      log.out(log.text(Msg::uninstall_would_remove_folder, plan.queue_directory));
    } else if (std::filesystem::is_empty(directory, error) && std::filesystem::remove(directory, error)) {
      log.out(log.text(Msg::uninstall_removed_folder, plan.queue_directory));
    } else {
      log.out(log.text(Msg::uninstall_folder_kept, plan.queue_directory));
    }
  }
  if (!options.dry_run && removed_any) {
    log.out(log.text(Msg::install_restart_reminder, request.queue_name.empty() ? "queue_" + request.name
                                                                                : request.queue_name));
  }
  log.flush();
  return 0;
}

}  // namespace vtsubmit
