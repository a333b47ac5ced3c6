-- moneta.feat windows: sequence windows (N, T, F) for recurrent and convolutional nets, their
-- chronological split, and the window scaler (a fitted z-score that saves with a model). The
-- work is in C (src/features/windows.c via moneta.c.feat); this file installs the names and
-- their help into the feat table: require("moneta.feat_windows")(feat). See
-- docs/features_windows.md.
local C = require "moneta.c.feat"
local doc = require "moneta.doc"

return function(feat)
  feat.windows = C.windows
  feat.split_windows = C.split_windows
  feat.window_scaler = C.window_scaler
  feat.window_scaler_deserialize = C.window_scaler_deserialize

  local entries = {
    {"windows", "feat.windows(frame, {features =, target =, length =, stride = 1, horizon = 1, by =, time =}) -> X, y, info",
     "Windows of length T per group in time order, never across a group: X (N, T, F) float32, " ..
     "y (N, 1) = target at t + horizon (horizon >= 1) for the window ending at row t; windows " ..
     "whose target falls past the group are not formed, windows with NaN/inf are dropped " ..
     "(info.dropped); info.index (frame rows, 1-based), info.time, info.key per window."},
    {"split_windows", "feat.split_windows(X, y, info, {at = time | fraction = f}) -> train, test",
     "Chronological split of windows without shuffling: train has the windows whose last " ..
     "step is before 'at' (or the earliest fraction f, ties at the cut going to test), test " ..
     "the rest; each part is {X, y, index, time, key, n}."},
    {"window_scaler", "feat.window_scaler{} -> scaler",
     "Per-feature z-score for (N, T, F) tensors, mean and population sd over every time step " ..
     "of the windows it is fitted on (fit on training windows only); saves with a model: " ..
     "net:save(path, {prep = scaler})."},
    {"window_scaler_deserialize", "feat.window_scaler_deserialize(s) -> scaler",
     "Rebuild a window scaler from scaler:serialize() (a model's prep_blob())."},
  }
  for _, d in ipairs(entries) do
    doc.add(feat[d[1]], "moneta.feat." .. d[1], d[2], d[3], "feat")
  end
  doc.methods("moneta.WindowScaler", "window_scaler", "feat", {
    {"fit", "s:fit(X) -> s",
     "Learn per-feature mean and sd (ddof 0; sd 0 stored as 1) over all N*T steps of X (N, T, F); NaN is refused."},
    {"transform", "s:transform(X) -> tensor", "(x - mean) / sd per feature; X's last dimension must be the fitted F."},
    {"fit_transform", "s:fit_transform(X) -> tensor", "fit then transform the same tensor."},
    {"serialize", "s:serialize() -> string",
     "The scaler as versioned text ('moneta.wscaler 1', hex doubles); net:save(path, {prep = s}) stores it."},
    {"params", "s:params() -> {mean = {...}, sd = {...}}", "The fitted mean and sd of each feature."},
    {"fitted", "s:fitted() -> boolean", "Whether fit has run."},
    {"kind", "s:kind() -> 'window_scaler'", "The kind of fitted transform."},
    {"free", "s:free()", "Release the scaler now."},
  })
end
