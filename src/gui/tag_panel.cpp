#include "gui/tag_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "gui/qt_convert.h"

namespace quarry::gui {

TagPanel::TagPanel(QWidget* parent)
    : QWidget(parent),
      list_(new QListWidget(this)),
      name_(new QLineEdit(this)),
      selection_(new QLabel(this)),
      message_(new QLabel(this)) {
  list_->setObjectName("tagList");
  list_->setToolTip(tr("The tags of the selected images, with how many of them carry each"));
  name_->setObjectName("tagName");
  name_->setPlaceholderText(tr("tag, e.g. GT2"));
  message_->setObjectName("tagMessage");
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #c62828");
  message_->hide();
  auto* add = new QPushButton(tr("Add to selected"), this);
  auto* remove = new QPushButton(tr("Remove from selected"), this);
  add->setObjectName("addTag");
  remove->setObjectName("removeTag");
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
  layout->addWidget(name_);
  layout->addLayout(buttons);
  layout->addWidget(message_);
  layout->addWidget(selection_);
  connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (item) name_->setText(item->data(Qt::UserRole).toString());
  });
  connect(add, &QPushButton::clicked, this, [this] { addTagToSelection(chosenTag()); });
  connect(remove, &QPushButton::clicked, this, [this] { removeTagFromSelection(chosenTag()); });
  connect(name_, &QLineEdit::returnPressed, this, [this] { addTagToSelection(chosenTag()); });
  setSelectedImages({});
}

void TagPanel::setProject(Project* project) {
  project_ = project;
  selected_.clear();
  reload();
}

void TagPanel::reload() {
  list_->clear();
  const int n = static_cast<int>(selected_.size());
  selection_->setText(tr("%n image(s) selected", nullptr, n));
  if (!project_ || selected_.empty()) return;
  auto tags = project_->tagsOfImages(selected_);
  if (!tags.ok()) {
    emit failed(describe(tags.status()));
    return;
  }
  for (const auto& t : *tags) {
    const QString count = n == 1 ? QString() : QString("  (%1 of %2)").arg(t.imageCount).arg(n);
    auto* item = new QListWidgetItem(qs(t.name) + count, list_);
    item->setData(Qt::UserRole, qs(t.name));
  }
}

void TagPanel::setSelectedImages(const std::vector<ImageId>& ids) {
  selected_ = ids;
  reload();
}

QString TagPanel::chosenTag() const { return name_->text().trimmed(); }

QString TagPanel::message() const { return message_->isHidden() ? QString() : message_->text(); }

void TagPanel::refuse(const QString& message) {
  message_->setText(message);
  message_->show();
  emit failed(message);
}

bool TagPanel::addTagToSelection(const QString& tag) { return changeSelection(tag, true); }

bool TagPanel::removeTagFromSelection(const QString& tag) { return changeSelection(tag, false); }

bool TagPanel::changeSelection(const QString& tag, bool add) {
  if (!project_) return false;
  if (tag.trimmed().isEmpty()) {
    refuse(tr("Type a tag name first (or pick one in the list)."));
    return false;
  }
  if (selected_.empty()) {
    refuse(tr("Select images in the list first."));
    return false;
  }
  auto n = add ? project_->tagImages(ss(tag.trimmed()), selected_) : project_->untagImages(ss(tag.trimmed()), selected_);
  if (!n.ok()) {
    refuse(describe(n.status()));
    return false;
  }
  message_->clear();
  message_->hide();
  reload();
  emit tagsChanged();
  return true;
}

}  // namespace quarry::gui
