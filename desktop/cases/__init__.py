"""Subsidy cases (兑现事项) from eligible to paid, as CASES.md fixes them; Qt-free.

``states`` holds the state table; ``opening`` opens and refreshes cases from results and says
when a result changed; ``moves`` moves them (``funds`` keeps the budgets an approval counts
against, ``workdays`` the publicity's working days); ``payments`` records payments row by row;
``deadlines`` warns of the payment deadline; ``timeline`` reads a case's history from the change
log; ``parameters`` reads ``resources/policies/cases.toml``; ``listing`` lists cases by SQL,
``progress`` counts the progress board (兑现进度表) by aggregates and ``publicity`` says what the
publicity list (公示名单) holds. Nothing here deletes a case or a payment.
"""
