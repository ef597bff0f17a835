// The split dialog: a form to SplitOptions, and the split.
#include "gui/split_dialog.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "gui/qt_convert.h"

namespace quarry::gui {

SplitDialog::SplitDialog(Project* project, QWidget* parent) : QDialog(parent), project_(project) {
  setWindowTitle(tr("Split into VAL and GT"));
  val_ = new QLineEdit("0.2");
  val_->setToolTip(tr("A count (178) or a fraction of the untagged images (0.2)"));
  gt_ = new QLineEdit("0.2");
  gt_->setToolTip(val_->toolTip());
  valTag_ = new QLineEdit("VAL1");
  gtTag_ = new QLineEdit("GT1");
  seed_ = new QSpinBox;
  seed_->setRange(0, 1000000000);
  seed_->setValue(1);
  stratify_ = new QCheckBox(tr("Keep each class's share alike in both sets"));
  result_ = new QLabel;
  result_->setObjectName("splitResult");
  result_->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("Validation set"), val_);
  form->addRow(tr("Validation tag"), valTag_);
  form->addRow(tr("Ground truth set"), gt_);
  form->addRow(tr("Ground truth tag"), gtTag_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(QString(), stratify_);
  auto* run = new QPushButton(tr("Split"));
  auto* close = new QPushButton(tr("Close"));
  connect(run, &QPushButton::clicked, this, &SplitDialog::split);
  connect(close, &QPushButton::clicked, this, &QDialog::accept);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch();
  buttons->addWidget(run);
  buttons->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Draws the validation set, then the ground truth from the rest, among the images "
                                  "that carry neither tag. The same seed draws the same images.")));
  layout->addLayout(form);
  layout->addWidget(result_);
  layout->addLayout(buttons);
}

void SplitDialog::setSizes(const QString& val, const QString& gt) {
  val_->setText(val);
  gt_->setText(gt);
}

bool SplitDialog::options(SplitOptions* out) const {
  bool okVal = false, okGt = false;
  out->val = SplitAmount::parse(ss(val_->text().trimmed()), &okVal);
  out->gt = SplitAmount::parse(ss(gt_->text().trimmed()), &okGt);
  if (!okVal || !okGt) {
    result_->setText(tr("A size is a count (178) or a fraction between 0 and 1 (0.2)."));
    return false;
  }
  out->valTag = ss(valTag_->text().trimmed());
  out->gtTag = ss(gtTag_->text().trimmed());
  out->seed = static_cast<std::uint64_t>(seed_->value());
  out->stratify = stratify_->isChecked();
  return true;
}

bool SplitDialog::split() {
  SplitOptions o;
  if (!project_ || !options(&o)) return false;
  auto inUse = splitTagsInUse(*project_, o);
  if (!inUse.ok()) {
    result_->setText(tr("Not split: %1").arg(describe(inUse.status())));
    return false;
  }
  if (!inUse->empty()) {
    QStringList held;
    for (const TagInUse& t : *inUse) held << tr("%1 (%2 images)").arg(qs(t.tag)).arg(t.images);
    const QString question = tr("%1 already exist. Add more images to them (the images they hold stay), or cancel "
                                "and choose new tag names?")
                                 .arg(held.join(tr(" and ")));
    const bool extend = confirm_ ? confirm_(question)
                                 : QMessageBox::question(this, tr("Extend the split?"), question,
                                                         QMessageBox::Yes | QMessageBox::Cancel) == QMessageBox::Yes;
    if (!extend) {
      result_->setText(tr("Not split: %1 kept as they are.").arg(held.join(tr(" and "))));
      return false;
    }
    o.extend = true;
  }
  auto r = splitImages(*project_, o);
  if (!r.ok()) {
    result_->setText(tr("Not split: %1").arg(describe(r.status())));
    return false;
  }
  result_->setText(tr("Split %1 images (seed %2): %3 tagged %4, %5 tagged %6.")
                       .arg(r->poolSize)
                       .arg(o.seed)
                       .arg(r->val.size())
                       .arg(qs(o.valTag))
                       .arg(r->gt.size())
                       .arg(qs(o.gtTag)));
  emit tagsChanged();
  return true;
}

}  // namespace quarry::gui
