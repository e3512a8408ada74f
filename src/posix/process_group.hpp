#pragma once

#include <vector>

#include <sys/types.h>

#include "common/platform.hpp"

namespace vtsubmit::posix {

// Lists the live processes of process group `pgid` from /proc (pgid field of /proc/<pid>/stat,
// command from /proc/<pid>/cmdline), zombies excluded. Empty when /proc cannot be read.
std::vector<platform::LeftoverProcess> list_group_members(pid_t pgid);

// Lists the live children of `parent` outside process group `pgid`, except `excluded`: for a child
// subreaper, the job's descendants that left its group (setsid, setpgid) and whose parent ended.
std::vector<platform::LeftoverProcess> list_escaped_children(pid_t parent, pid_t pgid, pid_t excluded);

// True while the group has a member, zombies included (kill(-pgid, 0) succeeds or gives EPERM).
bool group_exists(pid_t pgid);

}  // namespace vtsubmit::posix
