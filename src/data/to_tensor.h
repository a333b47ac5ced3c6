/* to_tensor.h -- frames into float32 tensors for the neural networks. */
#ifndef MN_DATA_TO_TENSOR_H
#define MN_DATA_TO_TENSOR_H

#include "core/tensor.h"
#include "data/frame.h"

/* A new (nrows, ncols) float32 tensor of the frame's f64 and bool columns, in column order.
** Refuses (MN_ENAN) a missing or non-finite value, naming the first bad row (1-based) and
** column, so NaN never reaches training; refuses (MN_EARG) cat, text and date columns with a
** hint (encode them with moneta.prep.onehot or ordinal first). */
int fr_to_tensor(const fr_Frame *f, tn_Tensor **out, mn_Err *e);

/* The same for one column: a (nrows) tensor. */
int fr_col_to_tensor(const fr_Column *c, const char *name, tn_Tensor **out, mn_Err *e);

#endif
