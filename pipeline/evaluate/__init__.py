"""Agreement with human coding: gold files, matching gold rows to units, validation, the keyword
baseline, real published minutes."""
