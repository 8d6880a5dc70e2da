// edgewise run MODEL: run a model on given or random inputs.
#include "commands.h"

namespace ew::cli {
void add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a model");
  cmd->callback([] { exit_code() = 0; });
}
}  // namespace ew::cli
