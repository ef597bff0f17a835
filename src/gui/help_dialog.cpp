#include "gui/help_dialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace quarry::gui {

const std::vector<ShortcutHelp>& shortcutTable() {
  static const std::vector<ShortcutHelp> table = {
      {"W", "draw mode: every drag draws a box (Esc leaves it)"},
      {"drag on empty canvas", "draw a box"},
      {"drag a box / a handle", "move / resize it"},
      {"click, Ctrl+click", "select a box, add to the selection"},
      {"Arrow keys (Shift)", "nudge the selected boxes by 1 px (10 px)"},
      {"Delete", "remove the selected boxes"},
      {"1 - 9", "pick a class; with boxes selected, give them that class"},
      {"Ctrl+C / Ctrl+V", "copy the selected boxes / paste them (also onto another image)"},
      {"Ctrl+Z", "undo (per image, no limit)"},
      {"Ctrl+Shift+Z, Ctrl+Y", "redo"},
      {"D / A", "next / previous image"},
      {"Shift+D", "next image to review: hard first, then medium, then any unreviewed"},
      {"M / Shift+M", "next / previous mistake: where the list's run and the labels disagree most (shown dashed)"},
      {"Space", "mark the image reviewed (again: unmark)"},
      {"Enter", "accept the image's auto boxes and mark it reviewed"},
      {"Space + drag, middle drag", "pan"},
      {"wheel", "zoom around the cursor"},
      {"F / Ctrl+1", "fit the image / 100 %"},
      {"] / [", "display brighter / darker (the image file is never changed)"},
      {"} / {", "more / less contrast"},
      {"G / Shift+G", "gamma up (lift the shadows) / down"},
      {"C", "stretch the contrast: off, levels (1st-99th percentile), CLAHE"},
      {"Ctrl+0", "reset the display adjustments (they are remembered per project)"},
      {"U", "show the uncertainty of the filter's model run on the canvas (hover a box for its components)"},
      {"Ctrl+R", "model runs: figures, comparisons, charts, experiment curves"},
      {"Ctrl+E", "export a data set (COCO, Pascal VOC, YOLO, Ultralytics)"},
      {"Ctrl+I, or drop on the window", "import a folder of images, a YOLO, VOC or COCO set, or image files"},
      {"Ctrl+O / Ctrl+N", "open / create a project"},
      {"F1", "this list"},
  };
  return table;
}

HelpDialog::HelpDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Quarry keyboard and mouse"));
  auto* text = new QTextBrowser(this);
  QString html = "<table cellpadding='4'>";
  for (const auto& s : shortcutTable())
    html += QString("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(QString(s.keys).toHtmlEscaped(), tr(s.action));
  html += "</table><p>Every change is saved to the project at once; there is nothing to save.</p>";
  text->setHtml(html);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(text);
  layout->addWidget(buttons);
  resize(560, 560);
}

}  // namespace quarry::gui
