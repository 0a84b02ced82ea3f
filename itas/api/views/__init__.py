"""The open-data API: resources (agencies, cycles, results, downloads), improvement and the
yearly Data Package."""
