-- moneta.dash: full-screen terminal dashboards (ncurses, in src/tui). The training monitor
-- opens by itself during fit (see moneta.monitor: a progress face); the data explorer shows a
-- frame; the runs browser will list tracked experiments once moneta.runs exists.
local doc = require "moneta.doc"

local D = {}

D.monitor = require "moneta.monitor"      -- registers the training monitor as a progress face

local explore_c = require "moneta.c.explore"

--- dash.explore(frame [, opts]): the data explorer, full screen; q returns.
-- The C function (src/lua/l_explore.c) checks the frame, the options and the terminal; the
-- screen (src/tui/explore.c) is a table panel and a column panel. The runs browser below will
-- reuse the table panel (ui_table_panel, src/tui/explore_table.c) with a panel of its own.
D.explore = explore_c.explore

--- dash.runs(): the runs browser.
function D.runs()
  -- The place is kept: the browser is a ui_Screen whose table panel lists a frame of runs
  -- (name, started, params, best metrics) and whose side panel shows one run's curves; it
  -- lands with experiment tracking (moneta.runs, src/track), which does not exist yet.
  error("dash.runs: experiment tracking (moneta.runs) is not built yet, so there are no " ..
        "runs to browse; use dash.explore(frame) to look at a frame", 2)
end

doc.topic("dash", "full-screen dashboards: the training monitor and the data explorer",
  "fit opens the training monitor when stdout is a terminal (dashboard = false turns it off); " ..
  "dash.explore(frame) browses a frame. In every dashboard ? shows the keys and q returns.")
doc.module(D, "moneta.dash", "dash", {
  {"explore", "dash.explore(frame [, opts])",
   "Browse a frame full screen: scroll, sort (< >), jump (:), search (/), column statistics " ..
   "and histogram; ? lists the keys, q returns. opts: row, column, sort, desc, title."},
  {"runs", "dash.runs()",
   "Browse tracked experiment runs (arrives with experiment tracking; raises until then)."},
})

return D
