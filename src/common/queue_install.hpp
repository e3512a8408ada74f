#pragma once

// The files that make a vtsubmit queue on a Unix agent, for `vtsubmit install-queue` and
// `vtsubmit uninstall-queue`:
//   $TOM_HOME/abm/config/queues/<QUEUE>/queue.conf   5 lines: queue, max running jobs, -1,
//                                                    the program, priority 20
//   $TOM_HOME/abm/config/queues/<QUEUE>/users        any:-1:-1
//   $TOM_HOME/abm/bin/<NAME>                         link to vtsubmit (a copy on Windows)
//   $TOM_HOME/admin/tom_submit.<NAME>                the queue file, from a commented template
// The agent runs line 4 with $TOM_ADMIN/tom_submit.<basename of line 4> as first argument.

#include <string>
#include <vector>

#include "common/messages.hpp"

namespace vtsubmit {

struct QueueInstallRequest {
  std::string tom_home;
  std::string name;                       // program name in ABM_BIN and queue file suffix
  std::string queue_name;                 // empty: "queue_" + name
  int max_jobs = 10;                      // line 2 of queue.conf
  std::vector<std::string> interpreter;   // [script] interpreter of the queue file; empty: none
  std::string vtsubmit_path;              // what the program link points to
  Language language = Language::english;  // of the queue file's comments
};

// One file that install-queue writes and uninstall-queue removes.
struct QueueFile {
  enum class Kind { text, program_link };
  Kind kind = Kind::text;
  std::string path;
  std::string content;   // text: the file's bytes; program_link: the vtsubmit path
};

struct QueueInstallPlan {
  std::string queue_directory;   // abm/config/queues/<QUEUE>, created by install, removed when empty
  std::vector<QueueFile> files;
};

// Returns the problems that prevent the plan: invalid name or maximum, a folder of the agent
// tree missing, vtsubmit not found. Empty when the request is valid.
std::vector<Message> validate_queue_request(const QueueInstallRequest& request);

// Builds the list of files for `request`, which validate_queue_request accepted.
QueueInstallPlan plan_queue_install(const QueueInstallRequest& request);

// Returns the text of the queue file that install-queue writes.
std::string queue_file_template(const QueueInstallRequest& request);

}  // namespace vtsubmit
