// edgewise: load, inspect, run and check ONNX models on edge CPUs.
#include "commands.h"

namespace ew::cli {
int& exit_code() {
  static int code = 0;
  return code;
}
}  // namespace ew::cli

int main(int argc, char** argv) {
  CLI::App app{"Edgewise: run, optimize and ship neural networks on edge devices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "edgewise 0.1.0");
  ew::cli::add_info_command(app);
  ew::cli::add_run_command(app);
  ew::cli::add_conformance_command(app);
  ew::cli::add_make_model_command(app);
  ew::cli::add_optimize_command(app);
  ew::cli::add_bench_command(app);
  ew::cli::add_quantize_command(app);
  ew::cli::add_eval_command(app);
  ew::cli::add_device_command(app);
  ew::cli::add_predict_command(app);
  ew::cli::add_select_command(app);
  ew::cli::add_latency_model_command(app);
  ew::cli::add_train_command(app);
  ew::cli::add_gradients_command(app);
  ew::cli::add_distill_command(app);
  ew::cli::add_palettize_command(app);
  CLI11_PARSE(app, argc, argv);
  return ew::cli::exit_code();
}
