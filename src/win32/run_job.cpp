// The job's process tree on Windows: started suspended, put in a job object that kills every
// process of the tree when vtsubmit's handle closes, then resumed. Its stdout and stderr come
// through pipes and are copied byte for byte to vtsubmit's, one reader thread per stream.

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "common/platform.hpp"
#include "win32/stop_requests.hpp"
#include "win32/win32_util.hpp"

namespace vtsubmit::platform {

namespace {

using Clock = std::chrono::steady_clock;

// Copies one pipe to one of vtsubmit's standard handles until the writers close it. After a
// failed write the rest of the stream is read and dropped, so the job's writes do not block.
struct StreamCopy {
  win32::Handle pipe;
  HANDLE output = nullptr;
  std::string name;          // "stdout" or "stderr", for the warning
  DWORD write_error = 0;
  win32::Handle thread;

  static DWORD WINAPI run(void* self) {
    static_cast<StreamCopy*>(self)->copy();
    return 0;
  }

  void copy() {
    char buffer[64 * 1024];
    for (;;) {
      DWORD count = 0;
      if (!ReadFile(pipe.get(), buffer, sizeof buffer, &count, nullptr) || count == 0) {
        return;   // ERROR_BROKEN_PIPE: every writer closed its end; or the read was cancelled
      }
      DWORD offset = 0;
      while (write_error == 0 && offset < count) {
        DWORD written = 0;
        if (!WriteFile(output, buffer + offset, count - offset, &written, nullptr)) {
          write_error = GetLastError();
          break;
        }
        offset += written;
      }
    }
  }

  bool start() {
    thread.reset(CreateThread(nullptr, 0, &StreamCopy::run, this, 0, nullptr));
    return thread.valid();
  }
};

// Creates a pipe whose write end the child inherits; the read end stays with vtsubmit.
bool create_output_pipe(win32::Handle& read_end, win32::Handle& write_end) {
  SECURITY_ATTRIBUTES attributes{sizeof(attributes), nullptr, TRUE};
  HANDLE read_handle = nullptr;
  HANDLE write_handle = nullptr;
  if (!CreatePipe(&read_handle, &write_handle, &attributes, 0)) {
    return false;
  }
  read_end.reset(read_handle);
  write_end.reset(write_handle);
  SetHandleInformation(read_handle, HANDLE_FLAG_INHERIT, 0);
  return true;
}

// Returns the job object, or an invalid handle (with a warning) when the process cannot be
// put in one, for example when the agent runs vtsubmit in a job that forbids nesting.
win32::Handle create_job(HANDLE process, std::vector<Message>& warnings) {
  win32::Handle job(CreateJobObjectW(nullptr, nullptr));
  if (!job.valid()) {
    warnings.push_back({Msg::job_object_unavailable, {win32::last_error().message()}});
    return job;
  }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof(limits)) ||
      !AssignProcessToJobObject(job.get(), process)) {
    warnings.push_back({Msg::job_object_unavailable, {win32::last_error().message()}});
    return win32::Handle();
  }
  return job;
}

std::vector<DWORD> job_process_ids(HANDLE job) {
  std::vector<DWORD> ids;
  if (job == nullptr) {
    return ids;
  }
  struct {
    JOBOBJECT_BASIC_PROCESS_ID_LIST header;
    ULONG_PTR more[255];
  } list{};
  list.header.NumberOfAssignedProcesses = 256;
  if (QueryInformationJobObject(job, JobObjectBasicProcessIdList, &list, sizeof(list), nullptr)) {
    for (DWORD i = 0; i < list.header.NumberOfProcessIdsInList; ++i) {
      ids.push_back(static_cast<DWORD>(list.header.ProcessIdList[i]));
    }
  }
  return ids;
}

std::string process_image(DWORD pid) {
  win32::Handle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
  if (!process.valid()) {
    return "?";
  }
  wchar_t buffer[MAX_PATH];
  DWORD size = MAX_PATH;
  if (!QueryFullProcessImageNameW(process.get(), 0, buffer, &size)) {
    return "?";
  }
  return win32::narrow(std::wstring_view(buffer, size));
}

// Asks the job to stop, then ends its whole tree after `grace`. Returns true when it had to be
// ended by force.
bool stop_job(HANDLE process, DWORD group_id, HANDLE job, std::chrono::seconds grace) {
  // CREATE_NEW_PROCESS_GROUP makes the job's pid its console group id. Without a console (a
  // service) the event cannot be sent, and the grace period only gives the job time to end.
  GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group_id);
  const auto wait = static_cast<DWORD>(std::chrono::duration_cast<std::chrono::milliseconds>(grace).count());
  if (WaitForSingleObject(process, wait) == WAIT_OBJECT_0) {
    return false;
  }
  const UINT code = 0xC000013Au;   // STATUS_CONTROL_C_EXIT
  if (job != nullptr) {
    TerminateJobObject(job, code);
  } else {
    TerminateProcess(process, code);
  }
  WaitForSingleObject(process, INFINITE);
  return true;
}

// Waits for the copies to reach the end of their pipes, at most until `deadline`. After that it
// cancels the reads, because a process outside the job may keep a pipe open for ever.
bool drain(StreamCopy& out, StreamCopy& err, Clock::time_point deadline) {
  HANDLE threads[2] = {out.thread.get(), err.thread.get()};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  const auto wait = static_cast<DWORD>(std::max<long long>(0, left));
  if (WaitForMultipleObjects(2, threads, TRUE, wait) == WAIT_OBJECT_0) {
    return true;
  }
  for (HANDLE thread : threads) {
    CancelSynchronousIo(thread);
  }
  if (WaitForMultipleObjects(2, threads, TRUE, 1000) != WAIT_OBJECT_0) {
    out.pipe.reset();
    err.pipe.reset();
    WaitForMultipleObjects(2, threads, TRUE, 1000);
  }
  return false;
}

}  // namespace

JobResult run_job(const JobCommand& command, const JobOptions& options) {
  JobResult result;

  StreamCopy out{{}, GetStdHandle(STD_OUTPUT_HANDLE), "stdout", 0, {}};
  StreamCopy err{{}, GetStdHandle(STD_ERROR_HANDLE), "stderr", 0, {}};
  win32::Handle out_write;
  win32::Handle err_write;
  const auto null_input = win32::open_null_input();
  if (!create_output_pipe(out.pipe, out_write) || !create_output_pipe(err.pipe, err_write) || !null_input.valid()) {
    result.start_error = win32::last_error();
    return result;
  }

  win32::StartRequest request;
  request.application = win32::widen(command.program);
  request.command_line = win32::widen(command.command_line);
  request.environment = &options.environment;
  request.working_directory = win32::widen(options.working_directory);
  request.stdin_handle = null_input.get();
  request.stdout_handle = out_write.get();
  request.stderr_handle = err_write.get();
  request.extra_flags = CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP;
  auto started = win32::start_process(request);
  // vtsubmit's copies of the write ends must close, or the pipes never reach their end.
  out_write.reset();
  err_write.reset();
  if (!started.process.valid()) {
    result.start_error = started.error;
    return result;
  }
  result.started = true;

  auto job = create_job(started.process.get(), result.warnings);
  ResumeThread(started.thread.get());
  started.thread.reset();

  if (!out.start() || !err.start()) {
    result.warnings.push_back({Msg::system_call_failed, {"CreateThread", win32::last_error().message()}});
  }

  HANDLE waits[2] = {started.process.get(), win32::stop_event()};
  const DWORD wait_count = waits[1] != nullptr ? 2 : 1;
  for (;;) {
    const DWORD signaled = WaitForMultipleObjects(wait_count, waits, FALSE, INFINITE);
    if (signaled == WAIT_OBJECT_0) {
      break;
    }
    if (signaled == WAIT_OBJECT_0 + 1) {
      result.stop_signal = pending_stop_request();
      result.killed_after_grace = stop_job(started.process.get(), started.pid, job.get(), options.stop_grace);
      break;
    }
    result.warnings.push_back({Msg::system_call_failed, {"WaitForMultipleObjects", win32::last_error().message()}});
    WaitForSingleObject(started.process.get(), INFINITE);
    break;
  }

  DWORD exit_code = 0;
  GetExitCodeProcess(started.process.get(), &exit_code);
  // The 32 bits are kept as they are: 0xC0000005 becomes the int -1073741819.
  result.exit_code = static_cast<int>(exit_code);

  const auto leftovers = job_process_ids(job.get());
  if (!leftovers.empty()) {
    if (options.leftovers == LeftoverPolicy::kill || result.stop_signal != 0) {
      for (const DWORD pid : leftovers) {
        result.leftovers.push_back({static_cast<long>(pid), process_image(pid)});
      }
      TerminateJobObject(job.get(), 0xC000013Au);
    } else if (options.leftovers == LeftoverPolicy::wait) {
      while (!job_process_ids(job.get()).empty()) {
        const HANDLE stop = win32::stop_event();
        if (stop == nullptr) {
          Sleep(200);
        } else if (WaitForSingleObject(stop, 200) == WAIT_OBJECT_0) {
          TerminateJobObject(job.get(), 0xC000013Au);
          break;
        }
      }
    } else {
      // keep: let the processes outlive vtsubmit, so the job must not kill them on close.
      JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
      SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof(limits));
    }
  }

  if (out.thread.valid() && err.thread.valid()) {
    result.drain_timed_out = !drain(out, err, Clock::now() + options.drain_timeout);
  }
  for (const auto* stream : {&out, &err}) {
    if (stream->write_error != 0) {
      result.warnings.push_back({Msg::output_write_failed, {stream->name, win32::error_from(stream->write_error).message()}});
    }
  }
  return result;
}

}  // namespace vtsubmit::platform
