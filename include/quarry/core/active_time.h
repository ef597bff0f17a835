// Active labelling time: the seconds an annotator spends on an image, with idle gaps cut. Fed
// the times of input events (mouse, keys, wheel) from any clock in seconds; a gap between two
// events longer than the idle limit counts nothing (the annotator was away), a shorter one
// counts whole. take() hands out what accumulated since the last take(), so each recorded
// action gets the time spent making it.
//
//   ActiveTime t;          t.reset(now());         // an image is shown
//   t.input(now());        ...                      // every input event
//   double s = t.take(now());                       // a box was drawn: its seconds
//
// Not thread-safe; one per window.
#pragma once

namespace quarry {

class ActiveTime {
 public:
  static constexpr double kDefaultIdleSeconds = 60;
  explicit ActiveTime(double idleSeconds = kDefaultIdleSeconds) : idle_(idleSeconds) {}

  // Starts over at `now` (a new image): nothing accumulated carries over.
  void reset(double now) {
    last_ = now;
    pending_ = 0;
  }
  // An input event at `now`.
  void input(double now) {
    add(now);
    last_ = now;
  }
  // The active seconds since the last take() or reset(), up to `now`; then starts counting again.
  double take(double now) {
    add(now);
    last_ = now;
    const double out = pending_;
    pending_ = 0;
    return out;
  }
  double idleSeconds() const { return idle_; }

 private:
  void add(double now) {
    const double gap = now - last_;
    if (gap > 0 && gap <= idle_) pending_ += gap;
  }
  double idle_;
  double last_ = 0;
  double pending_ = 0;
};

}  // namespace quarry
