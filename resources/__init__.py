"""Data shipped with Relief Desk: policy parameters, samples, fonts, icons, translations."""
