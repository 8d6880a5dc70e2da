// Each subcommand lives in its own file and adds itself to the app.
#pragma once

#include <CLI/CLI.hpp>

namespace ew::cli {

void add_info_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_conformance_command(CLI::App& app);
void add_make_model_command(CLI::App& app);
void add_optimize_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_quantize_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_device_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_select_command(CLI::App& app);
void add_latency_model_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_gradients_command(CLI::App& app);
void add_distill_command(CLI::App& app);
void add_palettize_command(CLI::App& app);

// Exit code set by the command that ran.
int& exit_code();

}  // namespace ew::cli
