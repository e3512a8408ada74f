#pragma once

#include <vector>

#include <sys/types.h>

#include "common/platform.hpp"

namespace vtsubmit::posix {

// Lists the live processes of process group `pgid` from /proc (pgid field of /proc/<pid>/stat,
// command from /proc/<pid>/cmdline), zombies excluded. Empty when /proc cannot be read.
std::vector<platform::LeftoverProcess> list_group_members(pid_t pgid);

// True while the group has a member, zombies included (kill(-pgid, 0) succeeds or gives EPERM).
bool group_exists(pid_t pgid);

}  // namespace vtsubmit::posix
