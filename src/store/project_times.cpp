// Project: measured labelling times.
#include "store/project_impl.h"

namespace quarry {

Status Project::recordActionTime(const ActionTime& t) {
  if (t.seconds < 0 || t.boxes < 0) return Status::InvalidArgument("an action time needs non-negative seconds and boxes");
  return inTransaction(*impl_, "recording a labelling time", [&] {
    CachedStatement q(*impl_, "INSERT INTO action_times(image_id, action, boxes, seconds, user, at) VALUES (?,?,?,?,?,?)");
    q->bind(1, t.image);
    q->bind(2, toString(t.action));
    q->bind(3, t.boxes);
    q->bind(4, t.seconds);
    q->bind(5, t.user);
    q->bind(6, static_cast<std::int64_t>(t.at > 0 ? t.at : nowMillis()));
    q->exec();
    return Status::Ok();
  });
}

Result<std::vector<ActionSummary>> Project::actionTimes(const std::string& user) const {
  std::vector<ActionSummary> out;
  for (int i = 0; i < kLabelActionCount; ++i) out.push_back(ActionSummary{static_cast<LabelAction>(i)});
  Status st = guarded("reading labelling times", [&] {
    SQLite::Statement q(impl_->db,
                        "SELECT action, COUNT(*), SUM(boxes), COUNT(DISTINCT image_id), SUM(seconds) FROM action_times "
                        "WHERE (?1 = '' OR user = ?1) GROUP BY action");
    q.bind(1, user);
    while (q.executeStep()) {
      auto a = parseLabelAction(q.getColumn(0).getString());
      if (!a) continue;  // written by a newer Quarry: not ours to count
      ActionSummary& s = out[static_cast<std::size_t>(*a)];
      s.actions = q.getColumn(1).getInt64();
      s.boxes = q.getColumn(2).getInt64();
      s.images = q.getColumn(3).getInt64();
      s.seconds = q.getColumn(4).getDouble();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace quarry
