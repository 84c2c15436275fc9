"""Shape and reduction conventions used by every function in this package.

This module is the one place where the conventions are stated; docstrings refer to it.

Shapes (examples as columns, as in seed 003 and seed 001)
---------------------------------------------------------
=================  =============================  ==========================================
name               shape                          meaning
=================  =============================  ==========================================
``X``              ``(n_features, n_samples)``    one example per column
``y``, ``Y``       ``(n_outputs, n_samples)``     targets, one column per example
``W1``, ``W``      ``(n_out, n_in)``              row ``j`` holds the weights into unit ``j``
``b1``, ``b``      ``(n_out, 1)``                 broadcasts across the columns of ``X``
``Z1``, ``A1``     ``(n_out, n_samples)``         pre-activation and activation of a layer
``dW1``, ``db1``   same shape as ``W1``, ``b1``   gradients always match their parameter
=================  =============================  ==========================================

The other convention (examples as rows, ``x @ w + b``) is the one seed 004 uses; it is offered
only in :mod:`autograder.reference.delta_rule`, where lesson 4 follows that seed.

Scalars: the single neuron of lesson 1 has one input, so ``w`` and ``b`` are floats and a batch
``x`` is a 1-D array ``(n_samples,)``.

Batch losses are means
----------------------
A batch (or full-sample) cost is the **mean** of the per-example losses,
``R(theta) = 1/n sum_i l(y_i, F(x_i, theta))`` (seed 001). Its gradient is therefore the mean of
the per-example gradients. Seeds 000 and 003 write the sum instead; a sum is the mean times
``n``, so the two give the same descent direction and differ only in the effective learning rate
(``lr_sum = lr_mean / n``). The lessons point this out where they follow those seeds.

Per-example losses
------------------
* squared error: ``l = 1/2 * sum_k (y_hat_k - y_k)**2`` (sum over outputs; seed 004)
* binary cross-entropy from the logit ``z``: ``l = log(1 + e**z) - y*z`` (seed 003)
"""
