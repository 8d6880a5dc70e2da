// edgewise make-model mobilenet -o FILE: writes a built-in architecture as ONNX.
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "models/mobilenet.h"

namespace ew::cli {

namespace {

struct Args {
  std::string arch = "mobilenet", output;
  MobileNetConfig config;
  bool relu = false;
};

int run(Args a) {
  a.config.relu6 = !a.relu;
  auto model = build_mobilenet(a.config);
  if (!model.is_ok()) return report_error(model.status());
  Status s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  std::cout << "wrote " << a.output << " (" << a.arch << ", " << model->graph.nodes.size() << " nodes, input float32[N,"
            << a.config.in_channels << "," << a.config.resolution << "," << a.config.resolution << "], "
            << a.config.classes << " classes)\n";
  return 0;
}

}  // namespace

void add_make_model_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("make-model", "Write a built-in architecture (MobileNetV2-style) as an ONNX file");
  cmd->add_option("arch", args->arch, "Architecture")->check(CLI::IsMember({"mobilenet"}))->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Output .onnx file")->required();
  cmd->add_option("--resolution", args->config.resolution, "Input height and width")->capture_default_str();
  cmd->add_option("--channels", args->config.in_channels, "Input channels")->capture_default_str();
  cmd->add_option("--classes", args->config.classes, "Output classes")->capture_default_str();
  cmd->add_option("--head", args->config.head_channels, "Channels of the last 1x1 conv")->capture_default_str();
  cmd->add_option("--seed", args->config.seed, "Weight seed")->capture_default_str();
  cmd->add_option("--opset", args->config.opset, "ONNX opset to declare")->capture_default_str();
  cmd->add_flag("--relu", args->relu, "Use Relu instead of ReLU6 (Clip 0..6)");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
