#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runtime/session.h"
#include "train/checkpoint.h"
#include "train/lr_schedule.h"

namespace ew::train {
namespace {

using Clock = std::chrono::steady_clock;

Status check_options(const TrainOptions& o) {
  if (o.epochs < 1) return invalid_argument("--epochs must be >= 1, got " + std::to_string(o.epochs));
  if (o.batch_size < 1) return invalid_argument("--batch-size must be >= 1, got " + std::to_string(o.batch_size));
  if (!(o.lr > 0) || !std::isfinite(o.lr)) return invalid_argument("--lr must be a positive number, got " + std::to_string(o.lr));
  if (o.accumulate < 1) return invalid_argument("--accumulate must be >= 1");
  if (o.checkpoint_every < 1) return invalid_argument("--checkpoint-every must be >= 1");
  if (o.threads < 1) return invalid_argument("--threads must be >= 1");
  if (o.clip_norm < 0) return invalid_argument("--clip-norm must be >= 0");
  if (o.resume && o.checkpoint_dir.empty()) return invalid_argument("--resume needs --checkpoint DIR");
  return validate(o.optimizer);
}

// What a checkpoint must match to be resumed: the model's structure and the options that shape the run.
std::string fingerprint(const Model& m, const TrainOptions& o, int64_t samples) {
  std::ostringstream s;
  for (const Node& n : m.graph.nodes) s << n.op_type << ':' << n.name << ';';
  for (const auto& [name, t] : m.graph.initializers) s << name << t.describe() << ';';
  s << "|bs" << o.batch_size << "|acc" << o.accumulate << "|opt" << o.optimizer.kind << o.optimizer.momentum
    << o.optimizer.nesterov << o.optimizer.beta1 << o.optimizer.beta2 << o.optimizer.weight_decay << "|lr" << o.lr
    << o.schedule << "|ep" << o.epochs << "|seed" << o.seed << "|loss" << o.loss.kind << o.loss.label_smoothing
    << o.loss.temperature << ',' << o.loss.alpha << ',' << o.loss.beta << ',' << o.loss.gamma
    << "|n" << samples << "|aug" << o.augment.crop_padding << o.augment.horizontal_flip;
  for (const auto& f : o.freeze) s << "|f" << f;
  for (const auto& f : o.train_only) s << "|t" << f;
  std::ostringstream hex;
  hex << std::hex << std::hash<std::string>{}(s.str());
  return hex.str();
}

int64_t argmax_row(const float* row, int64_t c) {
  int64_t best = 0;
  for (int64_t k = 1; k < c; ++k)
    if (row[k] > row[best]) best = k;
  return best;
}

// Correct top-1 predictions in a batch, or -1 when the labels are not class indices.
int64_t correct(const Tensor& pred, const Tensor& labels) {
  if (labels.dtype() != DType::kInt64 || pred.rank() != 2 || pred.dim(0) != labels.numel()) return -1;
  int64_t ok = 0;
  for (int64_t i = 0; i < pred.dim(0); ++i)
    ok += argmax_row(pred.data<float>() + i * pred.dim(1), pred.dim(1)) == labels.data<int64_t>()[i];
  return ok;
}

// One training run's state: what a checkpoint holds, plus the session.
class Run {
 public:
  Run(Model& model, const TrainingData& data, const TrainingData& validation, const TrainOptions& o,
      const std::function<void(const TrainProgress&)>& progress)
      : model_(model), data_(data), validation_(validation), o_(o), progress_(progress), rng_(o.seed) {}

  Result<TrainReport> run();

 private:
  Status setup();
  Status resume();
  Status train_epoch();
  Status step_batch(const std::vector<int64_t>& index, int64_t global_batch);
  Status apply_gradients();
  Status non_finite(const std::string& what) const;
  Status save();
  void write_back();
  std::vector<Tensor> feed(const TrainingData& batch, const Tensor& teacher, int64_t global_batch) const;

  Model& model_;
  const TrainingData& data_;
  const TrainingData& validation_;
  const TrainOptions& o_;
  std::function<void(const TrainProgress&)> progress_;
  TrainingGraph tg_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<LrSchedule> schedule_;
  std::vector<Parameter> params_;
  std::vector<Tensor> accumulated_;
  int pending_ = 0;  // batches accumulated since the last optimizer step
  std::map<std::string, Tensor> buffers_;
  std::vector<Tensor> outputs_;
  std::mt19937_64 rng_;
  std::vector<int64_t> order_;
  int64_t step_ = 0, epoch_ = 0, batch_in_epoch_ = 0, batches_ = 0;
  std::string fingerprint_;
  TrainReport report_;
  // Running sums over the current epoch.
  double loss_sum_ = 0;
  int64_t seen_ = 0, correct_ = 0, batches_run_ = 0;
  bool has_accuracy_ = false;
};

Status Run::setup() {
  TrainingGraphOptions go;
  go.loss = o_.loss;
  go.freeze = o_.freeze;
  go.train_only = o_.train_only;
  EW_ASSIGN_OR_RETURN(tg_, build_training_graph(model_, go));
  if (!tg_.teacher.empty() && !o_.teacher) return invalid_argument("the distillation loss needs a teacher");
  if (tg_.data_inputs.size() != 1)
    return invalid_argument("training needs a model with one data input; this one has " +
                            std::to_string(tg_.data_inputs.size()));
  SessionOptions so;
  so.threads = o_.threads;
  EW_ASSIGN_OR_RETURN(session_, Session::create(tg_.model, so));
  for (const std::string& p : tg_.parameters) {
    EW_ASSIGN_OR_RETURN(Tensor v, model_.graph.initializers.at(p).clone());
    params_.push_back(Parameter{p, v, Tensor()});
    report_.parameter_count += v.numel();
  }
  for (const auto& [state, updated] : tg_.buffers) {
    EW_ASSIGN_OR_RETURN(buffers_[state], model_.graph.initializers.at(state).clone());
  }
  report_.parameters = tg_.parameters;
  report_.frozen = tg_.frozen;
  EW_ASSIGN_OR_RETURN(optimizer_, Optimizer::create(o_.optimizer));
  batches_ = (data_.size() + o_.batch_size - 1) / o_.batch_size;
  const int64_t total = (batches_ * o_.epochs + o_.accumulate - 1) / o_.accumulate;
  EW_ASSIGN_OR_RETURN(LrScheduleOptions so_lr, parse_lr_schedule(o_.schedule, o_.lr, total));
  EW_ASSIGN_OR_RETURN(LrSchedule schedule, LrSchedule::create(so_lr));
  schedule_ = std::make_unique<LrSchedule>(schedule);
  fingerprint_ = fingerprint(model_, o_, data_.size());
  return Status::ok();
}

Status Run::resume() {
  std::string warning;
  auto state = load_latest_checkpoint(o_.checkpoint_dir, &warning);
  if (!state.is_ok()) {
    if (state.status().code() == StatusCode::kNotFound) return Status::ok();  // nothing saved yet: start at step 0
    return state.status();
  }
  EW_RETURN_IF_ERROR(check_fingerprint(*state, fingerprint_));
  for (Parameter& p : params_) {
    auto it = state->parameters.find(p.name);
    if (it == state->parameters.end() || it->second.shape() != p.value.shape())
      return invalid_argument("checkpoint in " + o_.checkpoint_dir + " lacks parameter '" + p.name + "' of this model");
    p.value = it->second;
  }
  for (auto& [name, value] : buffers_) {
    auto it = state->buffers.find(name);
    if (it == state->buffers.end()) return invalid_argument("checkpoint lacks buffer '" + name + "'");
    value = it->second;
  }
  EW_RETURN_IF_ERROR(optimizer_->load_state(state->optimizer));
  std::istringstream rng(state->rng_state);
  rng >> rng_;
  if (rng.fail()) return invalid_argument("checkpoint holds an unreadable random state");
  order_ = state->data_order;
  step_ = state->step;
  epoch_ = state->epoch;
  batch_in_epoch_ = state->batch_in_epoch;
  if (batch_in_epoch_ > 0 && static_cast<int64_t>(order_.size()) != data_.size())
    return invalid_argument("checkpoint's data order has " + std::to_string(order_.size()) + " samples; the data has " +
                            std::to_string(data_.size()));
  report_.resumed_from_step = step_;
  report_.checkpoint_warning = warning;
  return Status::ok();
}

std::vector<Tensor> Run::feed(const TrainingData& batch, const Tensor& teacher, int64_t global_batch) const {
  std::vector<Tensor> in;
  size_t p = 0;
  for (const ValueInfo& v : tg_.model.graph.inputs) {
    if (v.name == tg_.data_inputs[0]) in.push_back(batch.inputs);
    else if (v.name == tg_.labels) in.push_back(batch.labels);
    else if (v.name == tg_.teacher) in.push_back(teacher);
    else if (v.name == tg_.dropout_seed)
      in.push_back(Tensor::scalar<int64_t>(static_cast<int64_t>((o_.seed * 1000003u) ^ static_cast<uint64_t>(global_batch))).value());
    else if (p < params_.size() && v.name == params_[p].name) in.push_back(params_[p++].value);
    else in.push_back(buffers_.at(v.name));
  }
  return in;
}

Status Run::non_finite(const std::string& what) const {
  std::string first;
  for (const Parameter& p : params_) {
    for (const Tensor* t : {&p.grad, &p.value}) {
      if (!t->defined()) continue;
      for (int64_t i = 0; i < t->numel() && first.empty(); ++i)
        if (!std::isfinite(t->data<float>()[i])) first = p.name + (t == &p.grad ? " (gradient)" : " (value)");
    }
    if (!first.empty()) break;
  }
  return invalid_argument(what + " at step " + std::to_string(step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) + ")" +
                          (first.empty() ? "" : "; the first non-finite parameter is " + first) +
                          (o_.checkpoint_dir.empty() ? "" : "; the last good checkpoint in " + o_.checkpoint_dir + " is kept") +
                          ". Try a lower --lr or --clip-norm.");
}

Status Run::apply_gradients() {
  if (o_.accumulate > 1) {
    for (size_t i = 0; i < params_.size(); ++i) {
      float* g = accumulated_[i].data<float>();
      for (int64_t k = 0; k < accumulated_[i].numel(); ++k) g[k] /= static_cast<float>(pending_);
      params_[i].grad = accumulated_[i];
    }
  }
  auto norm = clip_grad_norm(params_, o_.clip_norm);
  if (!norm.is_ok()) return non_finite("a gradient became NaN or infinite");
  EW_RETURN_IF_ERROR(optimizer_->step(params_, schedule_->lr(step_)));
  ++step_;
  pending_ = 0;
  return Status::ok();
}

Status Run::step_batch(const std::vector<int64_t>& index, int64_t global_batch) {
  EW_ASSIGN_OR_RETURN(TrainingData b, batch(data_, index, o_.augment, rng_));
  Tensor teacher;
  if (!tg_.teacher.empty()) {
    EW_ASSIGN_OR_RETURN(teacher, o_.teacher(index, b.inputs));
  }
  EW_RETURN_IF_ERROR(session_->run(feed(b, teacher, global_batch), outputs_));
  const float loss = outputs_[0].data<float>()[0];
  for (size_t i = 0; i < params_.size(); ++i) params_[i].grad = outputs_[2 + i];
  if (!std::isfinite(loss)) return non_finite("the loss became " + std::to_string(loss));
  for (size_t i = 0; i < tg_.buffers.size(); ++i) {
    EW_ASSIGN_OR_RETURN(buffers_[tg_.buffers[i].first], outputs_[2 + params_.size() + i].clone());
  }
  const int64_t ok = correct(outputs_[1], b.labels);
  has_accuracy_ = ok >= 0;
  correct_ += std::max<int64_t>(ok, 0);
  loss_sum_ += static_cast<double>(loss) * static_cast<double>(index.size());
  seen_ += static_cast<int64_t>(index.size());
  if (o_.accumulate > 1) {
    if (accumulated_.empty())
      for (const Parameter& p : params_) accumulated_.push_back(Tensor::create(DType::kFloat32, p.value.shape()).value());
    for (size_t i = 0; i < params_.size(); ++i) {
      float* a = accumulated_[i].data<float>();
      const float* g = params_[i].grad.data<float>();
      for (int64_t k = 0; k < accumulated_[i].numel(); ++k) a[k] = pending_ == 0 ? g[k] : a[k] + g[k];
    }
  }
  if (++pending_ >= o_.accumulate) EW_RETURN_IF_ERROR(apply_gradients());
  return Status::ok();
}

Status Run::save() {
  TrainingState s;
  s.step = step_;
  s.epoch = epoch_;
  s.batch_in_epoch = batch_in_epoch_;
  for (const Parameter& p : params_) {
    EW_ASSIGN_OR_RETURN(s.parameters[p.name], p.value.clone());
  }
  for (const auto& [name, v] : buffers_) {
    EW_ASSIGN_OR_RETURN(s.buffers[name], v.clone());
  }
  s.optimizer = optimizer_->state();
  s.optimizer_steps = optimizer_->steps();
  std::ostringstream rng;
  rng << rng_;
  s.rng_state = rng.str();
  s.data_order = order_;
  s.fingerprint = fingerprint_;
  s.meta_json = nlohmann::json{{"epochs", o_.epochs}, {"batch_size", o_.batch_size}}.dump();
  return save_checkpoint(o_.checkpoint_dir, s);
}

Status Run::train_epoch() {
  const auto start = Clock::now();
  if (batch_in_epoch_ == 0) order_ = permutation(data_.size(), rng_);
  loss_sum_ = 0, seen_ = 0, correct_ = 0, batches_run_ = 0;
  for (; batch_in_epoch_ < batches_; ++batch_in_epoch_) {
    if (o_.max_steps > 0 && step_ >= o_.max_steps) return Status::ok();
    const int64_t begin = batch_in_epoch_ * o_.batch_size, end = std::min(data_.size(), begin + o_.batch_size);
    std::vector<int64_t> index(order_.begin() + begin, order_.begin() + end);
    const int64_t steps_before = step_;
    EW_RETURN_IF_ERROR(step_batch(index, epoch_ * batches_ + batch_in_epoch_));
    ++batches_run_;
    if (progress_) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      TrainProgress p{static_cast<int>(epoch_ + 1), o_.epochs, batch_in_epoch_ + 1, batches_, step_,
                      loss_sum_ / static_cast<double>(seen_),
                      has_accuracy_ ? static_cast<double>(correct_) / static_cast<double>(seen_) : -1.0,
                      static_cast<double>(seen_) / std::max(secs, 1e-9), 0, schedule_->lr(std::max<int64_t>(step_ - 1, 0))};
      const int64_t left = (batches_ - batch_in_epoch_ - 1) + (o_.epochs - epoch_ - 1) * batches_;
      p.eta_seconds = secs / static_cast<double>(batches_run_) * static_cast<double>(left);
      progress_(p);
    }
    if (!o_.checkpoint_dir.empty() && step_ != steps_before && step_ % o_.checkpoint_every == 0 && pending_ == 0) {
      ++batch_in_epoch_;  // the saved position is after this batch
      Status s = save();
      --batch_in_epoch_;
      EW_RETURN_IF_ERROR(s);
    }
  }
  EpochStats e;
  e.epoch = static_cast<int>(epoch_ + 1);
  e.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  e.samples_per_second = static_cast<double>(seen_) / std::max(e.seconds, 1e-9);
  e.train_loss = seen_ ? loss_sum_ / static_cast<double>(seen_) : 0;
  e.train_accuracy = has_accuracy_ && seen_ ? static_cast<double>(correct_) / static_cast<double>(seen_) : -1;
  if (validation_.size() > 0) {
    write_back();
    EW_ASSIGN_OR_RETURN(Evaluation v, evaluate(model_, validation_, std::max<int64_t>(o_.batch_size, 256), o_.threads));
    e.val_loss = v.loss;
    e.val_accuracy = v.accuracy;
  }
  report_.epochs.push_back(e);
  ++epoch_;
  batch_in_epoch_ = 0;
  if (!o_.checkpoint_dir.empty() && pending_ == 0) EW_RETURN_IF_ERROR(save());
  return Status::ok();
}

void Run::write_back() {
  for (const Parameter& p : params_) model_.graph.initializers[p.name] = p.value.clone().value();
  for (const auto& [name, v] : buffers_) model_.graph.initializers[name] = v.clone().value();
}

Result<TrainReport> Run::run() {
  EW_RETURN_IF_ERROR(check_options(o_));
  EW_RETURN_IF_ERROR(check_data(data_));
  EW_RETURN_IF_ERROR(setup());
  if (o_.resume) EW_RETURN_IF_ERROR(resume());
  while (epoch_ < o_.epochs && !(o_.max_steps > 0 && step_ >= o_.max_steps)) EW_RETURN_IF_ERROR(train_epoch());
  write_back();
  report_.steps = step_;
  const MemoryStats m = session_->memory_stats();
  report_.arena_bytes = m.arena_bytes;
  report_.naive_bytes = m.naive_bytes;
  return report_;
}

}  // namespace

Result<TrainReport> train(Model& model, const TrainingData& data, const TrainingData& validation, const TrainOptions& options,
                          const std::function<void(const TrainProgress&)>& progress) {
  Model working = deep_copy(model);
  Run run(working, data, validation, options, progress);
  EW_ASSIGN_OR_RETURN(TrainReport report, run.run());
  model = std::move(working);
  return report;
}

Result<Evaluation> evaluate(const Model& model, const TrainingData& data, int64_t batch_size, int threads) {
  EW_RETURN_IF_ERROR(check_data(data));
  SessionOptions so;
  so.threads = threads;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, so));
  if (session->inputs().size() != 1) return invalid_argument("evaluation needs a model with one input");
  Evaluation e;
  double loss = 0;
  int64_t ok = 0;
  std::mt19937_64 unused(0);
  std::vector<Tensor> out;
  for (int64_t begin = 0; begin < data.size(); begin += batch_size) {
    std::vector<int64_t> index;
    for (int64_t i = begin; i < std::min(data.size(), begin + batch_size); ++i) index.push_back(i);
    EW_ASSIGN_OR_RETURN(TrainingData b, batch(data, index, Augmentation{}, unused));
    EW_RETURN_IF_ERROR(session->run({b.inputs}, out));
    const Tensor& p = out[0];
    if (b.labels.dtype() == DType::kInt64) {
      if (p.rank() != 2 || p.dim(0) != b.labels.numel()) return invalid_argument("the model's output " + p.describe() + " is not [N, classes]");
      const int64_t c = p.dim(1);
      for (int64_t i = 0; i < p.dim(0); ++i) {
        const float* row = p.data<float>() + i * c;
        const int64_t y = b.labels.data<int64_t>()[i];
        if (y < 0 || y >= c) return invalid_argument("label " + std::to_string(y) + " is outside [0, " + std::to_string(c) + ")");
        double mx = row[argmax_row(row, c)], s = 0;
        for (int64_t k = 0; k < c; ++k) s += std::exp(static_cast<double>(row[k]) - mx);
        loss += mx + std::log(s) - row[y];
        ok += argmax_row(row, c) == y;
      }
    } else {
      if (p.numel() != b.labels.numel()) return invalid_argument("targets " + b.labels.describe() + " do not match " + p.describe());
      const int64_t per = p.numel() / std::max<int64_t>(p.dim(0), 1);
      for (int64_t i = 0; i < p.numel(); ++i) {
        const double d = p.data<float>()[i] - b.labels.data<float>()[i];
        loss += d * d / static_cast<double>(per);
      }
    }
    e.count += static_cast<int64_t>(index.size());
  }
  e.loss = loss / static_cast<double>(e.count);
  if (data.labels.dtype() == DType::kInt64) e.accuracy = static_cast<double>(ok) / static_cast<double>(e.count);
  return e;
}

}  // namespace ew::train
