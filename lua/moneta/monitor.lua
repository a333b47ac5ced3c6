-- moneta.monitor: the training monitor, a progress face. fit{dashboard = true} (and, by
-- default, any fit whose stdout is a terminal) opens it for the length of the fit.
local M = {}
return M
