"""Packaging that pyproject.toml cannot say: top-level resources/ ships as desktop.resources."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["desktop", "desktop.*"]), "desktop.resources"],
    package_dir={"desktop.resources": "resources"},
    package_data={"desktop.resources": ["**/*"]},
    exclude_package_data={"desktop.resources": ["**/__pycache__/*"]},
)
