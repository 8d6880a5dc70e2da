// Losses appended to a forward graph to make it trainable. Each reads one
// forward output (the prediction) and a "labels" graph input, and produces a
// float32 scalar (mean over the batch):
//   cross-entropy    SoftmaxCrossEntropy of logits [N, C] and int64 labels [N]
//                    (label smoothing, class weights; PyTorch's definition)
//   mse, l1          mean (p - t)^2, mean |p - t| against float targets shaped like p
//   bce-with-logits  mean of max(p, 0) - p t + log(1 + exp(-|p|)), float targets in [0, 1]
//   kl               T^2 · KL(softmax(t / T) || softmax(p / T)), batch mean, against
//                    teacher logits t shaped like p (distillation)
//   distill          α·CE(labels, p) + β·T²·KL(softmax(t/T) || softmax(p/T)) + γ·Σ‖θ‖²:
//                    knowledge distillation from teacher logits t (input
//                    "teacher_logits", shaped like p) and int64 labels; θ are
//                    the float initializers but BatchNorm running statistics
//   output           the prediction is already a scalar loss (a user-built loss subgraph)
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew::train {

struct LossSpec {
  std::string kind = "cross-entropy";
  std::string prediction;  // the forward output the loss reads; "" = the first output
  float label_smoothing = 0.0f;
  std::vector<float> class_weights;  // cross-entropy; empty = all 1
  float temperature = 1.0f;          // kl, distill
  float alpha = 0.5f, beta = 0.5f, gamma = 0.0f;  // distill: weights of CE, KL and the squared norm
};

// The teacher-logits input a "distill" loss adds.
inline constexpr const char* kTeacherInput = "teacher_logits";

// Kinds for help texts: "cross-entropy, mse, l1, bce-with-logits, kl, output".
const char* loss_kinds();

struct AppendedLoss {
  std::string loss;    // the scalar loss value
  std::string labels;   // the labels input ("" for kind output)
  std::string teacher;  // the teacher-logits input ("" unless kind distill)
};

// Adds the loss nodes (and the "labels" input) to `model`, whose value types
// are inferred. Fails naming the problem: unknown kind, no such output, a
// prediction of the wrong rank.
Result<AppendedLoss> append_loss(Model& model, const LossSpec& spec);

}  // namespace ew::train
