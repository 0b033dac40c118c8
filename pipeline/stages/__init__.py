"""DVC stages: exactly the modules dvc.yaml runs. None imports another."""
