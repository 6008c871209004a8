"""Capacity planning: how many counters a forecast of visitors needs, hour by hour.

Modules
-------
``erlang``         Erlang C formulas and ``agents_needed`` (the staffing search).
``erlang_a``       Erlang A: the same with visitors who give up and leave.
``forecast``       ``ArrivalForecast`` and learning one from the history of arrivals.
``forecast_file``  the CSV read by ``antrean plan --forecast FILE``.
``staffing``       the plan itself: rows, per-hour totals, a text table and a PNG chart.

Units: the Erlang modules work in seconds (rates per second); the forecast and the plan speak
in hours of the day, arrivals per hour and minutes, as a supervisor does.

What Erlang C assumes, in plain words
-------------------------------------
- Visitors arrive at random and independently of one another, at a steady average rate
  (a Poisson stream). Within each planned hour that rate is taken as constant.
- Service times vary at random around their mean, with many short visits and a few long
  ones (exponential). Real service times vary less, so waits are a little overestimated.
- Every counter serves the queue's visitors equally fast, first come first served, and all
  counters open for the hour are working the whole hour.
- Nobody leaves the queue: everyone who arrives waits until served, however long. If work
  arrives faster than the counters can finish it, the queue grows without end; this is why
  at least one counter more than the workload (in Erlangs) is always needed.
- The office has settled into its steady state: the formulas describe a long hour, not the
  first minutes after opening or the rush of a queue carried over from the hour before.

What Erlang A adds
------------------
- Each waiting visitor has a patience: a random time (exponential, with the mean given) after
  which they give up and leave unserved. Everything else is as for Erlang C.
- Because impatient visitors lighten the queue, Erlang A never grows without end, and it
  usually needs fewer counters than Erlang C.
- Its classic service level counts only the visitors who were served, which flatters an
  understaffed office (the more people give up, the shorter the queue). The planner therefore
  counts a visitor who gave up as not served in time, and reports the share who left.

Why plans are conservative
--------------------------
Each service is staffed separately. A counter that serves several services shares its time
between them, so the sum over services is an upper bound on the counters really needed.
"""
