"""Q24: Poisson regression from scratch equals scikit-learn and statsmodels; least squares fails on counts."""

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression
from sklearn.linear_model import PoissonRegressor as SklearnPoissonRegressor
from sklearn.metrics import mean_poisson_deviance

from mlqa.evaluation import PoissonRegressor, poisson_deviance
from mlqa.evaluation.data import poisson_counts


@pytest.mark.parametrize("alpha", [0.0, 0.1, 1.0])
def test_poisson_matches_sklearn(alpha):
    X, y = poisson_counts(500, seed=0)
    ours = PoissonRegressor(alpha=alpha).fit(X, y)
    # newton-cholesky solves the same objective to machine precision; lbfgs stops earlier, so the tolerance is 1e-8
    reference = SklearnPoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, reference.coef_, atol=1e-8)
    assert abs(ours.intercept_ - reference.intercept_) < 1e-8
    assert abs(ours.score(X, y) - reference.score(X, y)) < 1e-10


def test_poisson_matches_statsmodels_glm():
    X, y = poisson_counts(500, seed=1)
    ours = PoissonRegressor(alpha=0.0).fit(X, y)
    glm = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit(tol=1e-12)
    np.testing.assert_allclose(np.r_[ours.intercept_, ours.coef_], glm.params, atol=1e-8)


def test_deviance_matches_sklearn_and_least_squares_is_worse():
    X, y = poisson_counts(300, seed=2)
    X_test, y_test = poisson_counts(5000, seed=3)
    poisson = PoissonRegressor(alpha=0.0).fit(X, y).predict(X_test)
    assert abs(poisson_deviance(y_test, poisson).mean() - mean_poisson_deviance(y_test, poisson)) < 1e-12
    line = LinearRegression().fit(X, y).predict(X_test)
    assert (line < 0).mean() > 0.02, "least squares predicts negative counts"
    assert poisson_deviance(y_test, np.clip(line, 0.01, None)).mean() > poisson_deviance(y_test, poisson).mean() + 0.1


def test_bad_input_raises():
    with pytest.raises(ValueError, match="counts"):
        PoissonRegressor().fit(np.zeros((3, 1)), np.array([1.0, -1.0, 2.0]))
    with pytest.raises(ValueError, match="shape"):
        poisson_deviance(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="columns"):
        PoissonRegressor().fit(np.zeros((3, 2)), np.ones(3)).predict(np.zeros((2, 3)))
