-- moneta.clean: cleaning methods of frames (dropna, fillna, dedupe, clip, winsorize, outliers,
-- cast, missing), splits (frame:split and moneta.split: indices, kfold, walk_forward_folds,
-- take, frames) and, through moneta.prep, the fitted transforms. install(M) puts the names
-- into the moneta table.
local cc = require "moneta.c.clean"
local doc = require "moneta.doc"

local C = {}

doc.topic("clean", "cleaning frames: missing values, duplicates, outliers, types",
  "Frame methods that return a new frame: dropna, fillna, dedupe, clip, winsorize, cast; " ..
  "outliers returns a bool column, missing a per-column report. What each does with NaN: " ..
  "dropna drops it, fillna fills it, dedupe treats NaN as equal to NaN, clip and winsorize " ..
  "keep it (and winsorize does not count it), outliers gives a missing flag, cast keeps it " ..
  "missing. See docs/cleaning.md.")
doc.topic("split", "train/test splits, k-fold and walk-forward folds",
  "frame:split{test=, stratify=, by=, seed=} -> train, test (rows keep their order). " ..
  "split.kfold and split.walk_forward_folds give folds as {train = {rows}, test = {rows}} " ..
  "with 1-based row numbers (they fit nothing: eval.walk_forward is the one that retrains); " ..
  "split.take(frame, rows) and split.frames(frame, fold) gather them. The same seed gives " ..
  "the same split. See docs/cleaning.md.")

--- The split helpers (moneta.split).
C.split = {
  indices = cc.indices,
  kfold = cc.kfold,
  walk_forward_folds = cc.walk_forward_folds,
  take = cc.take,
}

--- Frames of a fold: train, test = moneta.split.frames(frame, fold).
function C.split.frames(frame, fold)
  if type(fold) ~= "table" or type(fold.train) ~= "table" or type(fold.test) ~= "table" then
    error("split.frames: fold must be {train = {rows}, test = {rows}}", 2)
  end
  return cc.take(frame, fold.train), cc.take(frame, fold.test)
end

function C.install(M)
  M.split = C.split
  doc.methods("moneta.Frame", "frame", "clean", {
    {"dropna", "frame:dropna([{how = 'any'|'all', subset = {cols}}]) -> frame",
     "Drop rows with a missing value in any (or all) of the columns (subset: those only)."},
    {"fillna", "frame:fillna{col = value|'mean'|'median'|'mode'|'ffill'|'bfill'|'interpolate'} [, {by = time_col}] -> frame",
     "Fill missing values per column: a constant (number, boolean, or a level for cat/text; " ..
     "{value = 'mean'} forces a constant), mean/median (f64), mode (f64, cat, bool, date; " ..
     "ties: smallest), ffill/bfill (leading/trailing gaps stay), interpolate (f64, linear " ..
     "between neighbours; by = a date/datetime/f64 column makes it linear in time, not in " ..
     "rows; no extrapolation). fillna(x) fills every f64 column with x."},
    {"dedupe", "frame:dedupe([{subset = {cols}, keep = 'first'|'last'|'none'}]) -> frame",
     "Drop duplicate rows (exact equality on subset or all columns; NaN equals NaN), keeping " ..
     "the first or last of each group, or none of them. Row order is kept."},
    {"clip", "frame:clip{col = {lo, hi} | {lo =, hi =} | {q = {qlo, qhi}}} -> frame",
     "Limit f64 columns to [lo, hi] (either may be nil), or to their quantiles qlo, qhi " ..
     "(numpy's linear definition). NaN stays NaN."},
    {"winsorize", "frame:winsorize([cols] [, {limits = {lo, hi}}]) -> frame",
     "As scipy.stats.mstats.winsorize: of the m non-missing values the floor(lo*m) smallest " ..
     "become the next larger value, the floor(hi*m) largest the next smaller (limits 0.01, " ..
     "0.01; cols: every f64 column). NaN stays NaN and is not counted."},
    {"outliers", "frame:outliers(col [, {method = 'zscore'|'iqr', k =}]) -> bool column",
     "Flag outliers: zscore |x - mean| > k*sd (population sd; k 3) or iqr outside " ..
     "[Q1 - k*IQR, Q3 + k*IQR] (k 1.5). NaN gives a missing flag. Add it with frame:add."},
    {"cast", "frame:cast{col = 'f64'|'cat'|'text'|'bool'|'date'|'datetime'} -> frame",
     "Convert columns between types; a value that does not convert raises an error naming " ..
     "the column, row and value. Missing stays missing; '' and 'NA' text are missing; dates " ..
     "become days since 1970-01-01 as f64."},
    {"missing", "frame:missing() -> report",
     "Missing values per column: report[i] and report[name] are {column, type, missing, " ..
     "share}; printing it shows an aligned table."},
  })
  doc.methods("moneta.Frame", "frame", "split", {
    {"split", "frame:split{test = 0.2, stratify = col, by = time_col, seed = 0} -> train, test",
     "Holdout split. Random: ceil(test*n) test rows (test < 1 a fraction, else a count). " ..
     "stratify: each class gives floor or ceil of its share (largest remainders), so class " ..
     "shares match within one row. by: a time split, every test row strictly later than every " ..
     "train row; equal times at the cut all go to the side closest to the requested size " ..
     "(ties to test); an error if no cut exists. Both sides keep the original row order."},
  })
  doc.module(C.split, "moneta.split", "split", {
    {"indices", "split.indices(frame_or_n, {test=, stratify=, by=, seed=}) -> train_rows, test_rows",
     "The rows frame:split would pick, as 1-based ascending row numbers."},
    {"kfold", "split.kfold(frame_or_n, {k = 5, stratify = col, shuffle = true, seed = 0}) -> folds",
     "k folds as a list of {train = {rows}, test = {rows}} (1-based, ascending; also [1] " ..
     "and [2], so table.unpack(fold) gives both); every row is in exactly one test fold. " ..
     "Plain: k blocks of the (shuffled) rows, the first n % k one larger. stratify: each " ..
     "class dealt round-robin over the folds, so fold sizes and each class's counts differ " ..
     "by at most one between folds."},
    {"walk_forward_folds", "split.walk_forward_folds{n =, train =, test =, step = test, gap = 0, expanding = true} | split.walk_forward_folds(frame, {by = time_col, ...}) -> folds",
     "Walk-forward folds (row numbers only; nothing is fitted) over rows in time order: fold " ..
     "j tests rows [s, s+test) with s = train + gap + j*step and trains on the train rows " ..
     "before s - gap (all of them when expanding, the last 'train' when sliding); gap rows " ..
     "are left out (embargo). With a frame and by, rows are ordered by that column and " ..
     "train rows tied in time with the first gap/test row are left out."},
    {"take", "split.take(frame, rows) -> frame", "The given 1-based rows of a frame, in that order."},
    {"frames", "split.frames(frame, fold) -> train, test",
     "The frames of one fold from kfold or walk_forward_folds."},
  })
  require("moneta.prep").install(M)
end

return C
