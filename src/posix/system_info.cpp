#include <cstdlib>
#include <string>
#include <vector>

#include <pwd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/platform.hpp"

extern char** environ;

namespace vtsubmit::platform {

Environment current_environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return Environment::from_entries(entries, false);
}

std::string default_init_file() {
  return "$TOM_ADMIN/vtom_init.ksh";
}

std::vector<std::string> default_inline_prefix() {
  return {"/bin/sh", "-c"};
}

std::string program_path(const std::string& directory, const std::string& name) {
  if (directory.empty()) {
    return name;
  }
  if (directory.back() == '/') {
    return directory + name;
  }
  return directory + "/" + name;
}

bool is_executable_file(const std::string& path) {
  struct stat status {};
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string current_user_name() {
  std::vector<char> buffer(16 * 1024);
  passwd entry {};
  passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return found->pw_name;
  }
  // No passwd entry (a container with an arbitrary uid): use what the login set.
  for (const char* name : {"LOGNAME", "USER"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      return value;
    }
  }
  return std::to_string(geteuid());
}

std::string host_name() {
  utsname names {};
  if (uname(&names) == 0 && names.nodename[0] != '\0') {
    return names.nodename;
  }
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) == 0) {
    return buffer;
  }
  return {};
}

}  // namespace vtsubmit::platform
