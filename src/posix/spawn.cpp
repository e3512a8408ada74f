#include "posix/spawn.hpp"

#include <cerrno>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include "posix/posix_error.hpp"

namespace vtsubmit::posix {

namespace {

// posix_spawn and its setup functions return the error number instead of setting errno.
class SpawnSetup {
 public:
  SpawnSetup() {
    attributes_error_ = posix_spawnattr_init(&attributes_);
    actions_error_ = posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    if (attributes_error_ == 0) {
      posix_spawnattr_destroy(&attributes_);
    }
    if (actions_error_ == 0) {
      posix_spawn_file_actions_destroy(&actions_);
    }
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // Returns the first error of the setup, 0 when all went well.
  int prepare(const SpawnRequest& request) {
    if (attributes_error_ != 0) {
      return attributes_error_;
    }
    if (actions_error_ != 0) {
      return actions_error_;
    }
    sigset_t all_signals;
    sigfillset(&all_signals);
    sigset_t no_signals;
    sigemptyset(&no_signals);
    // Ignored signals stay ignored across exec: vtsubmit ignores SIGPIPE, and its own parent may
    // have ignored others, so every disposition is reset.
    // NOTE: glibc (checked with 2.36) still leaves its two internal signals, 32 and 33, ignored in
    // the child, and exec keeps them ignored. sigfillset and sigaddset cannot name them; only the
    // C libraries use those numbers.
    int error = posix_spawnattr_setsigdefault(&attributes_, &all_signals);
    keep_first(error, posix_spawnattr_setsigmask(&attributes_, &no_signals));
    // Own process group: a signal to vtsubmit's group (Ctrl-C, the agent) does not reach the
    // job, and vtsubmit can signal the job with all its descendants through kill(-pgid).
    keep_first(error, posix_spawnattr_setpgroup(&attributes_, 0));
    keep_first(error, posix_spawnattr_setflags(
                          &attributes_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP));

    keep_first(error, posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0));
    if (request.stdout_fd >= 0) {
      keep_first(error, posix_spawn_file_actions_adddup2(&actions_, request.stdout_fd, 1));
    }
    if (request.stderr_fd >= 0) {
      keep_first(error, posix_spawn_file_actions_adddup2(&actions_, request.stderr_fd, 2));
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors that other code opened without O_CLOEXEC must not reach the job either.
    keep_first(error, posix_spawn_file_actions_addclosefrom_np(&actions_, 3));
#endif
    if (!request.working_directory.empty()) {
      keep_first(error, posix_spawn_file_actions_addchdir_np(&actions_, request.working_directory.c_str()));
    }
    return error;
  }

  int spawn(pid_t* pid, const std::string& program, const std::vector<std::string>& argv,
            const std::vector<std::string>* environment) {
    std::vector<char*> argv_pointers;
    argv_pointers.reserve(argv.size() + 1);
    for (const auto& argument : argv) {
      argv_pointers.push_back(const_cast<char*>(argument.c_str()));
    }
    argv_pointers.push_back(nullptr);

    std::vector<char*> environment_pointers;
    if (environment != nullptr) {
      environment_pointers.reserve(environment->size() + 1);
      for (const auto& entry : *environment) {
        environment_pointers.push_back(const_cast<char*>(entry.c_str()));
      }
    }
    environment_pointers.push_back(nullptr);

    return posix_spawn(pid, program.c_str(), &actions_, &attributes_, argv_pointers.data(),
                       environment_pointers.data());
  }

 private:
  static void keep_first(int& error, int next) {
    if (error == 0) {
      error = next;
    }
  }

  posix_spawnattr_t attributes_;
  posix_spawn_file_actions_t actions_;
  int attributes_error_ = 0;
  int actions_error_ = 0;
};

}  // namespace

SpawnResult spawn_process(const SpawnRequest& request) {
  SpawnResult result;
  SpawnSetup setup;
  if (const int error = setup.prepare(request); error != 0) {
    result.error = errno_code(error);
    return result;
  }

  pid_t pid = -1;
  int error = setup.spawn(&pid, request.program, request.argv, request.environment);
  if (error == ENOEXEC && request.shell_fallback) {
    // execvp's rule for a file the kernel cannot execute (no "#!" line): run it with /bin/sh.
    std::vector<std::string> shell_argv{"/bin/sh", request.program};
    if (request.argv.size() > 1) {
      shell_argv.insert(shell_argv.end(), request.argv.begin() + 1, request.argv.end());
    }
    error = setup.spawn(&pid, shell_argv.front(), shell_argv, request.environment);
  }
  if (error != 0) {
    result.error = errno_code(error);
    return result;
  }
  result.pid = pid;
  return result;
}

}  // namespace vtsubmit::posix
