#include <csignal>
#include <string>

#include "common/platform.hpp"

namespace vtsubmit::platform {

namespace {

struct SignalName {
  int number;
  const char* name;
};

// A fixed table, because strsignal() returns a localized description ("Terminated"), not the name.
constexpr SignalName signal_names[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"},   {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},     {SIGBUS, "SIGBUS"},     {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"},   {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"},   {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},     {SIGTSTP, "SIGTSTP"},   {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"},   {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGSYS, "SIGSYS"},
#ifdef SIGSTKFLT
    {SIGSTKFLT, "SIGSTKFLT"},
#endif
#ifdef SIGIO
    {SIGIO, "SIGIO"},
#endif
#ifdef SIGPWR
    {SIGPWR, "SIGPWR"},
#endif
};

}  // namespace

std::string signal_name(int signal_number) {
  for (const auto& entry : signal_names) {
    if (entry.number == signal_number) {
      return entry.name;
    }
  }
  if (signal_number >= SIGRTMIN && signal_number <= SIGRTMAX) {
    return signal_number == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(signal_number - SIGRTMIN);
  }
  return "signal " + std::to_string(signal_number);
}

StopSteps stop_steps() {
  return {"SIGTERM", "SIGKILL"};
}

}  // namespace vtsubmit::platform
