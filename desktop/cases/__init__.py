"""Subsidy cases (兑现事项) from eligible to paid, as CASES.md fixes them; Qt-free.

``states`` holds the state table, ``opening`` opens and refreshes cases from results,
``moves`` moves them, ``funds`` keeps the budgets, ``payments`` records payments and
``deadlines`` warns of the payment deadline. Nothing here deletes a case or a payment.
"""
