// vtsubmit entry point on POSIX. The agent starts it as
//   argv = ["-<name>", "$TOM_ADMIN/tom_submit.<name>", PARAM1, PARAM2, …]
// so argv[0] may start with '-' and is never interpreted.

#include <string>
#include <vector>

#include "common/job_flow.hpp"
#include "common/platform.hpp"
#include "common/tool_mode.hpp"

int main(int argc, char** argv) {
  vtsubmit::platform::install_stop_handlers();

  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.empty() || vtsubmit::is_tool_mode(args.front())) {
    return vtsubmit::run_tool_mode(args);
  }

  vtsubmit::QueueInvocation invocation;
  invocation.queue_file = args.front();
  invocation.parameters.assign(args.begin() + 1, args.end());
  return vtsubmit::run_queue(invocation);
}
