// Accepting a model's auto boxes on the images it is sure about: the images of a filter that a
// run rated easy, still waiting for review and carrying its auto boxes, are marked reviewed in
// one write batch. The boxes stay as the model drew them (source `auto`); the review records
// that a person let them stand. Threads: the caller's Project.
//
//   auto plan = planAcceptEasy(project, filter, run);     // show plan->images.size(), plan->autoBoxes
//   acceptImages(project, *plan);                          // after the user says yes
#pragma once

#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/store/project.h"

namespace quarry {

struct AcceptPlan {
  std::vector<ImageId> images;  // easy under the run, not reviewed, with auto boxes and no human boxes
  std::size_t autoBoxes = 0;    // on those images
};

// kNotFound for an unknown run. `filter` narrows as in the image list (its difficulty terms are
// replaced by "easy under `run`").
Result<AcceptPlan> planAcceptEasy(const Project& project, ImageQuery filter, RunId run);
// Marks the plan's images reviewed in one write batch; after an error the images marked
// before it stay marked (each is a whole review).
Status acceptImages(Project& project, const AcceptPlan& plan);

}  // namespace quarry
