#include "quant/random_source.h"

#include "runtime/random_inputs.h"
#include "runtime/session.h"

namespace ew::quant {
namespace {

class RandomSource : public CalibrationSource {
 public:
  RandomSource(std::unique_ptr<Session> session, int samples) : session_(std::move(session)), samples_(samples) {}
  int size() const override { return samples_; }
  Result<bool> next(std::map<std::string, Tensor>& inputs) override {
    if (next_ >= samples_) return false;
    EW_ASSIGN_OR_RETURN(inputs, random_inputs(*session_, {}, 1, 42 + static_cast<uint64_t>(next_)));
    ++next_;
    return true;
  }
  Status rewind() override {
    next_ = 0;
    return Status::ok();
  }

 private:
  std::unique_ptr<Session> session_;  // knows the declared inputs; never runs
  int samples_ = 0, next_ = 0;
};

}  // namespace

Result<std::unique_ptr<CalibrationSource>> make_random_source(const Model& model, int samples) {
  SessionOptions o;
  o.use_backends = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, o));
  return std::unique_ptr<CalibrationSource>(std::make_unique<RandomSource>(std::move(session), samples));
}

}  // namespace ew::quant
