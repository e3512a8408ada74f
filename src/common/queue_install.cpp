#include "common/queue_install.hpp"

#include <filesystem>

#include "common/platform.hpp"

namespace vtsubmit {

namespace {

std::filesystem::path utf8_path(const std::string& path) {
  return std::filesystem::path(std::u8string(path.begin(), path.end()));
}

std::string path_string(const std::filesystem::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}

// A name that is one plain file name: letters, digits, '_', '-', '.', not starting with '.'.
bool is_plain_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.front() == '-') {
    return false;
  }
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                         c == '-' || c == '.';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

std::string queue_name_of(const QueueInstallRequest& request) {
  return request.queue_name.empty() ? "queue_" + request.name : request.queue_name;
}

std::string toml_string(const std::string& value) {
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::vector<Message> validate_queue_request(const QueueInstallRequest& request) {
  std::vector<Message> problems;
  if (!is_plain_name(request.name)) {
    problems.push_back({Msg::install_bad_name, {"--name", request.name}});
  }
  if (!request.queue_name.empty() && !is_plain_name(request.queue_name)) {
    problems.push_back({Msg::install_bad_name, {"--queue", request.queue_name}});
  }
  if (request.max_jobs < 1) {
    problems.push_back({Msg::install_bad_max_jobs, {std::to_string(request.max_jobs)}});
  }
  const auto home = utf8_path(request.tom_home);
  for (const auto* folder : {"admin", "abm/bin", "abm/config/queues"}) {
    std::error_code error;
    const auto path = home / folder;
    if (!std::filesystem::is_directory(path, error)) {
      problems.push_back({Msg::install_folder_missing, {path_string(path.lexically_normal()), request.tom_home}});
    }
  }
  if (request.vtsubmit_path.empty() || !platform::is_executable_file(request.vtsubmit_path)) {
    problems.push_back({Msg::install_vtsubmit_missing, {request.vtsubmit_path}});
  }
  return problems;
}

std::string queue_file_template(const QueueInstallRequest& request) {
  std::string interpreter_line;
  if (request.interpreter.empty()) {
    interpreter_line = "# interpreter = [\"/usr/bin/python3\", \"-u\"]";
  } else {
    interpreter_line = "interpreter = [";
    for (std::size_t i = 0; i < request.interpreter.size(); ++i) {
      interpreter_line += (i == 0 ? "" : ", ") + toml_string(request.interpreter[i]);
    }
    interpreter_line += "]";
  }
  return tr(request.language, Msg::install_queue_file_template, queue_name_of(request), interpreter_line);
}

QueueInstallPlan plan_queue_install(const QueueInstallRequest& request) {
  const auto home = std::filesystem::absolute(utf8_path(request.tom_home)).lexically_normal();
  const auto queue_name = queue_name_of(request);
  const auto directory = home / "abm" / "config" / "queues" / utf8_path(queue_name);
  const auto program = home / "abm" / "bin" / utf8_path(platform::queue_program_file_name(request.name));

  QueueInstallPlan plan;
  plan.queue_directory = path_string(directory);
  const auto queue_conf = queue_name + "\n" + std::to_string(request.max_jobs) + "\n-1\n" + path_string(program) + "\n20\n";
  plan.files.push_back({QueueFile::Kind::text, path_string(directory / "queue.conf"), queue_conf});
  plan.files.push_back({QueueFile::Kind::text, path_string(directory / "users"), "any:-1:-1\n"});
  plan.files.push_back({QueueFile::Kind::program_link, path_string(program), request.vtsubmit_path});
  plan.files.push_back({QueueFile::Kind::text, path_string(home / "admin" / utf8_path("tom_submit." + request.name)),
                        queue_file_template(request)});
  return plan;
}

}  // namespace vtsubmit
