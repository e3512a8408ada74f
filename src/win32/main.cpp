// vtsubmit.exe entry point. The agent, or the two-line submit_queue_<name>.bat shim, starts it
// as `vtsubmit.exe QUEUE_FILE PARAMETERS...`. The parameters are taken from the raw command line
// (GetCommandLineW), never rebuilt from argv: the job receives them byte for byte, like a
// batch file's %*.

#include <windows.h>

#include <string>
#include <vector>

#include <boost/nowide/args.hpp>

#include "common/cmdline_tail.hpp"
#include "common/job_flow.hpp"
#include "common/platform.hpp"
#include "common/tool_mode.hpp"
#include "win32/win32_util.hpp"

int main(int argc, char** argv) {
  vtsubmit::platform::install_stop_handlers();

  // UTF-8 argv, for the options only.
  boost::nowide::args utf8_arguments(argc, argv);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.empty() || vtsubmit::is_tool_mode(args.front())) {
    return vtsubmit::run_tool_mode(args);
  }

  // The queue file and the tail come from one parse of the command line with the C runtime's
  // rules: nowide::args uses CommandLineToArgvW, which reads argv[0] and "" differently.
  const auto parts = vtsubmit::cmdline::split_queue_command_line(vtsubmit::win32::narrow(GetCommandLineW()));
  vtsubmit::QueueInvocation invocation;
  invocation.queue_file = parts.queue_file;
  invocation.raw_parameters = parts.raw_tail;
  invocation.parameters = vtsubmit::cmdline::split_batch_parameters(parts.raw_tail);
  return vtsubmit::run_queue(invocation);
}
