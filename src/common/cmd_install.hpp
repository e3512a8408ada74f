#pragma once

// `vtsubmit install-queue` and `vtsubmit uninstall-queue`: write or remove the files of a
// vtsubmit queue on an agent (list in queue_install.hpp).

#include <string>
#include <vector>

#include "common/log.hpp"

namespace vtsubmit {

struct InstallOptions {
  std::string tom_home;
  std::string name;
  std::string queue_name;                 // empty: "queue_" + name
  int max_jobs = 10;
  std::vector<std::string> interpreter;
  std::string vtsubmit_path;              // empty: this executable
  bool dry_run = false;
  bool force = false;                     // install: overwrite; uninstall: remove a changed queue.conf
};

// Writes the queue's files, printing each one; refuses to overwrite an existing file unless
// `force`. Returns 0 on success, 1 when nothing was written because of a problem.
int run_install_queue(const InstallOptions& options, Log& log);

// Removes the files that install-queue writes, printing each one, and the queue folder when it
// is then empty. Refuses when queue.conf names another program, unless `force`.
// Returns 0 on success, 1 on a problem.
int run_uninstall_queue(const InstallOptions& options, Log& log);

}  // namespace vtsubmit
