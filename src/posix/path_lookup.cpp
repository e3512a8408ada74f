#include "posix/path_lookup.hpp"

#include <algorithm>
#include <cerrno>
#include <string_view>

#include <unistd.h>

#include "common/platform.hpp"

namespace vtsubmit::posix {

namespace {

std::string current_directory() {
  std::string buffer(256, '\0');
  for (;;) {
    if (getcwd(buffer.data(), buffer.size()) != nullptr) {
      buffer.resize(buffer.find('\0'));
      return buffer;
    }
    if (errno != ERANGE) {
      return ".";   // the current directory was removed: relative paths stay relative
    }
    buffer.resize(buffer.size() * 2);
  }
}

void append_components(std::string& base, std::string_view relative) {
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view component = relative.substr(start, end - start);
    if (!component.empty() && component != ".") {
      if (base.empty() || base.back() != '/') {
        base += '/';
      }
      base += component;
    }
    start = end + 1;
  }
}

}  // namespace

std::string absolute_path(const std::string& path, const std::string& working_directory) {
  if (!path.empty() && path.front() == '/') {
    return path;
  }
  std::string base;
  if (!working_directory.empty() && working_directory.front() == '/') {
    base = "/";
    append_components(base, working_directory);
  } else {
    base = current_directory();
    append_components(base, working_directory);
  }
  append_components(base, path);
  return base;
}

std::string find_in_path(const std::string& name, const Environment* environment,
                         const std::string& working_directory) {
  std::string search_path = "/bin:/usr/bin";
  if (environment != nullptr) {
    if (const auto value = environment->get("PATH")) {
      search_path = *value;
    }
  }
  std::size_t start = 0;
  while (start <= search_path.size()) {
    const std::size_t end = std::min(search_path.find(':', start), search_path.size());
    const std::string directory = search_path.substr(start, end - start);
    const std::string candidate = absolute_path(directory.empty() ? name : directory + "/" + name, working_directory);
    if (platform::is_executable_file(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return {};
}

}  // namespace vtsubmit::posix
