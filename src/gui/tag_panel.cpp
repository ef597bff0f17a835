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
    : QWidget(parent), list_(new QListWidget(this)), name_(new QLineEdit(this)), selection_(new QLabel(this)) {
  list_->setObjectName("tagList");
  name_->setObjectName("tagName");
  name_->setPlaceholderText(tr("tag, e.g. GT2"));
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
  layout->addWidget(selection_);
  connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (item) name_->setText(item->data(Qt::UserRole).toString());
  });
  connect(add, &QPushButton::clicked, this, [this] { addTagToSelection(chosenTag()); });
  connect(remove, &QPushButton::clicked, this, [this] { removeTagFromSelection(chosenTag()); });
  setSelectedImages({});
}

void TagPanel::setProject(Project* project) {
  project_ = project;
  reload();
}

void TagPanel::reload() {
  list_->clear();
  if (!project_) return;
  auto tags = project_->tags();
  if (!tags.ok()) {
    emit failed(describe(tags.status()));
    return;
  }
  for (const auto& t : *tags) {
    auto* item = new QListWidgetItem(QString("%1  (%2)").arg(qs(t.name)).arg(t.imageCount), list_);
    item->setData(Qt::UserRole, qs(t.name));
  }
}

void TagPanel::setSelectedImages(const std::vector<ImageId>& ids) {
  selected_ = ids;
  selection_->setText(tr("%n image(s) selected", nullptr, static_cast<int>(ids.size())));
}

QString TagPanel::chosenTag() const { return name_->text().trimmed(); }

bool TagPanel::addTagToSelection(const QString& tag) { return changeSelection(tag, true); }

bool TagPanel::removeTagFromSelection(const QString& tag) { return changeSelection(tag, false); }

bool TagPanel::changeSelection(const QString& tag, bool add) {
  if (!project_ || tag.isEmpty() || selected_.empty()) return false;
  auto n = add ? project_->tagImages(ss(tag), selected_) : project_->untagImages(ss(tag), selected_);
  if (!n.ok()) {
    emit failed(describe(n.status()));
    return false;
  }
  reload();
  emit tagsChanged();
  return true;
}

}  // namespace quarry::gui
