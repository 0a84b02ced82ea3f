"""The credibility engine: how far an agency's IIT/EIT answers can be trusted.

* evidence.py: what every online response carries when it is stored (start-token status,
  device and network hashes, its answer sheet and score) and the stored 10-minute arrival
  buckets;
* signals.py: set-based queries over a cycle's responses (device repetition, identical
  sheets, arrival concentration, best-on-every-item sheets, distribution against peers and the
  agency's own past) turned into reasons, each with the responses behind it;
* risk.py: the reasons' weights and one risk score per agency and instrument;
* services.py: the re-analysis of a whole cycle (with progress), recompute after an
  exclusion, the request to an agency to explain.

Scoring only reads which responses count (`Response.excluded`); exclusion stays a surveys
service (`itas.surveys.services.set_excluded`).
"""
