# Flowbench compatibility shim -- not promptflow (see ../../README.md).
