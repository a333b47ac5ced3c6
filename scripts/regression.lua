-- scripts/regression.lua: an OLS table with heteroskedasticity-robust (HC3) errors on the
-- bundled credit data: the interest rate a lender quoted, on the applicant's fields.
--   moneta scripts/regression.lua [path/to/credit.csv.gz]
local m = require "moneta"

local path = arg and arg[1] or m.dataset("credit.csv.gz")
local df = m.read_csv(path):dedupe()
local cols = {"interest_rate", "age", "income", "employment_years", "has_mortgage",
              "loan_amount", "term_months", "debt_ratio", "credit_lines", "delinquencies_2y",
              "utilization"}
df = df:select(cols):dropna()
-- income and loan amount in thousands, so their coefficients read per 1,000
local inc, loan = df:col("income"):values(), df:col("loan_amount"):values()
for i = 1, #inc do inc[i] = inc[i] / 1000; loan[i] = loan[i] / 1000 end
df = df:drop{"income", "loan_amount"}:add("income_k", inc):add("loan_k", loan)
print(("credit data: %s, %d complete rows"):format(path, df:nrows()))

local ols = m.ml.linear{cov_type = "HC3"}:fit(df, "interest_rate")
print(ols:summary())

-- the same fit with classical errors, for comparison of the standard errors
local plain = m.ml.linear{}:fit(df, "interest_rate"):summary()
local robust = ols:summary()
print(("\n%-18s %12s %12s %8s"):format("parameter", "se (OLS)", "se (HC3)", "ratio"))
for i, n in ipairs(robust.names) do
  print(("%-18s %12.5g %12.5g %8.3f"):format(n, plain.se[i], robust.se[i],
                                             robust.se[i] / plain.se[i]))
end
