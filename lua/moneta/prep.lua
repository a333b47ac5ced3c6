-- moneta.prep: fitted transforms (standard, minmax, robust, impute, onehot, ordinal, pipeline)
-- that learn on one frame and apply to another, and serialize to a string a model file can
-- carry. The work is in C (moneta.c.prep); this file registers the help texts.
local pc = require "moneta.c.prep"
local doc = require "moneta.doc"

local P = {}
P.api = {}                  -- moneta.prep: the constructors and deserialize
for k, v in pairs(pc) do P.api[k] = v end  -- the woe kind's public name is feat.woe

-- One reader for every fitted-transform text a model file can carry: the frame transforms
-- ("moneta.prep N") and the sequence-window scaler ("moneta.wscaler N", feat.window_scaler,
-- which lives in features/ above data/), told apart by their first line.
local read_prep = pc.deserialize
function P.api.deserialize(s)
  if type(s) == "string" and s:sub(1, 15) == "moneta.wscaler " then
    return require("moneta.c.feat").window_scaler_deserialize(s)
  end
  return read_prep(s)
end

doc.topic("prep", "fitted transforms: scaling, imputing, encoding, pipelines",
  "Each transform learns on one frame (fit, usually train) and applies the same parameters " ..
  "to another (transform): t:fit(train), t:transform(test), t:fit_transform(train). " ..
  "A frame with other columns or types than at fit time is refused with the column named. " ..
  "t:serialize() is a versioned text with exact (hex) doubles; prep.deserialize(s) " ..
  "rebuilds it. See docs/prep.md.")

function P.install(M)
  M.prep = P.api
  doc.module(P.api, "moneta.prep", "prep", {
    {"standard", "prep.standard{columns =} -> transform",
     "(x - mean) / sd with the population sd (ddof = 0, as scikit-learn's StandardScaler); a " ..
     "zero sd divides by 1. Default columns: every f64, date and datetime column (dates as " ..
     "days since 1970-01-01, output f64); others pass through. NaN is skipped when fitting " ..
     "and stays NaN."},
    {"minmax", "prep.minmax{columns =, range = {0, 1}} -> transform",
     "(x - min) / (max - min) mapped to range; a zero range divides by 1. NaN skipped and kept."},
    {"robust", "prep.robust{columns =, quantiles = {0.25, 0.75}} -> transform",
     "(x - median) / (Q3 - Q1), quantiles as numpy's default; a zero IQR divides by 1. NaN " ..
     "skipped and kept."},
    {"impute", "prep.impute{strategy = 'median'|'mean'|'most_frequent'|'constant', value =, level =, columns =} -> transform",
     "Fill missing values with what was learned at fit: f64, date and datetime columns by the " ..
     "strategy (0 if a column had no values; dates in days); cat and bool columns by their most frequent value (ties: first " ..
     "in byte order) for median, mean and most_frequent, by level (default 'missing') or " ..
     "value for constant. Text columns pass through."},
    {"onehot", "prep.onehot{drop_first = false, handle_unknown = 'ignore'|'error'|'infrequent', min_frequency =, missing = 'zeros'|'column', columns =} -> transform",
     "cat/text column x becomes f64 0/1 columns 'x=level' (levels seen at fit, in byte " ..
     "order), placed where x was; bool columns become f64 0/1. A level unseen at fit gives all " ..
     "zeros (ignore), an error naming column, row and level (error), or a 1 in " ..
     "'x=<infrequent>' (infrequent; levels seen fewer than min_frequency times, a count or a " ..
     "share < 1, join it). Missing gives all zeros, or a 1 in 'x=NA' with missing = 'column'."},
    {"ordinal", "prep.ordinal{unknown = -1|'nan'|'error', columns =} -> transform",
     "cat/text column -> f64 code: the index (0-based) of the level among those seen at fit, " ..
     "in byte order. An unseen level gives -1 (or NaN, or an error); missing gives NaN."},
    {"pipeline", "prep.pipeline{t1, t2, ...} -> transform",
     "Steps applied in order; fit fits each step on the previous step's output (the steps " ..
     "are fitted in place). impute{}, standard{}, onehot{} turns a frame into all-f64 with " ..
     "no NaN (numeric and categorical missing values are imputed first)."},
    {"deserialize", "prep.deserialize(s) -> transform",
     "Rebuild a transform (fitted or not, pipelines with their steps) from t:serialize(); " ..
     "also the window scaler's text (feat.window_scaler), so model:prep_blob() always reads back."},
  })
  doc.methods("moneta.Prep", "prep", "prep", {
    {"fit", "t:fit(frame [, y]) -> t",
     "Learn the parameters from frame (replacing an earlier fit); y, a 0/1 column or list " ..
     "(1 = bad), is the target a woe step learns against (a pipeline hands it to every step)."},
    {"transform", "t:transform(frame) -> frame",
     "Apply the fitted parameters; frame must have the fit-time columns and types (any " ..
     "order); the result has the fit-time order."},
    {"fit_transform", "t:fit_transform(frame [, y]) -> frame",
     "fit then transform the same frame."},
    {"serialize", "t:serialize() -> string",
     "The transform as a compact versioned text ('moneta.prep 1'); doubles in hex, so " ..
     "prep.deserialize gives back exactly the same parameters."},
    {"params", "t:params() -> table",
     "What was learned, per column: standard {mean, sd}, minmax {min, max}, robust {median, " ..
     "iqr}, impute the fill value, onehot/ordinal the levels, woe {iv, reading, nbins}; a " ..
     "pipeline gives a list."},
    {"bins", "t:bins() -> {{feature, iv, reading, categorical, direction, bins = {...}}}",
     "A fitted woe transform's (or a pipeline's woe steps') bins per column: label, lo, hi " ..
     "(lo < x <= hi), levels, n, good, bad, bad_rate, woe, iv; feat.woe_table makes a frame."},
    {"kind", "t:kind() -> string",
     "standard, minmax, robust, impute, onehot, ordinal, woe or pipeline."},
    {"fitted", "t:fitted() -> boolean", "Whether fit has run."},
    {"free", "t:free()", "Release the transform now."},
  })
end

return P
