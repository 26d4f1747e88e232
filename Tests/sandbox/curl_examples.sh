#!/usr/bin/env bash
# The API documents' own curl examples, run against `paysh sandbox`.
#
# Each example is the document's text with three kinds of substitution, the
# ones a reader makes: the base URL becomes the sandbox's, placeholders such
# as {YOUR_CLIENT_ID} become the sandbox's credentials, and the Lumyri
# headers written in single quotes around $ACCESS_TOKEN are written in double
# quotes so that the shell expands the variable. Nothing else is changed.
# Where a document's example cannot work as written (a trailing comma, a
# missing line continuation, an expired card), the check is that it fails
# for exactly that reason; the corrected example is then run too.
#
# Usage: Tests/sandbox/curl_examples.sh PAYSH_BINARY   (prints "N passed, N failed")
set -uo pipefail
bin="$(realpath "${1:?usage: curl_examples.sh PAYSH_BINARY}")"
work="$(mktemp -d)"
trap 'kill $SANDBOX 2>/dev/null; wait $SANDBOX 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

"$bin" sandbox --memory --port 0 > env.txt 2> log.txt & SANDBOX=$!
for _ in $(seq 200); do grep -q LUMYRI_ACCESS_TOKEN env.txt && break; sleep 0.05; done
grep -q LUMYRI_ACCESS_TOKEN env.txt || { echo "the sandbox did not start:"; cat log.txt; exit 1; }
. ./env.txt

passed=0; failed=0
check() { # name, command output, grep -E pattern that must match
  if grep -qE -- "$3" <<<"$2"; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1"; echo "     expected /$3/ in:"; sed 's/^/     /' <<<"$2"; fi
}
# Print the HTTP status after the body, on its own line.
export CURL_STATUS='-w \n%{http_code}\n'

# --- Lumanu quickstart -------------------------------------------------------

out=$(curl -s $CURL_STATUS --request POST \
  --url "$LUMANU_TOKEN_URL" \
  --header 'content-type: application/json' \
  --data '{
    "client_id":"'"$LUMANU_CLIENT_ID"'",
    "client_secret":"'"$LUMANU_CLIENT_SECRET"'",
    "audience":"https://lumanu-demo.hasura.app/v1/graphql",
    "grant_type":"client_credentials"
  }')
check "lumanu: request an access token" "$out" '"access_token":"ey[^"]+".*"token_type":"Bearer"'
YOUR_ACCESS_TOKEN=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$out")
YOUR_WORKSPACE_ID=$LUMANU_WORKSPACE_ID

# As written, the create example lacks the '\' that continues its Content-Type
# line: curl runs without a body, and the shell then fails on '--data'.
as_written=$(bash -c "curl -s -w '\\n%{http_code}\\n' --request POST \\
  --url $LUMANU_BASE_URL/api/rest/payables \\
  --header 'Authorization: Bearer $YOUR_ACCESS_TOKEN' \\
  --header 'Content-Type: application/json'
	--data '{
    \"workspace_id\": \"$YOUR_WORKSPACE_ID\",
    \"payee_email\": \"[email protected]\",
    \"amount\": 100,
    \"description\": \"My first payout via the API\"
  }'" 2>&1)
check "lumanu: create as written sends no body (400) and the shell rejects --data" "$as_written" '^400$'
check "lumanu: ... and the shell's complaint about --data" "$as_written" '(--data: command not found|line [0-9]+: --data)'

out=$(curl -s $CURL_STATUS --request POST \
  --url "$LUMANU_BASE_URL/api/rest/payables" \
  --header "Authorization: Bearer $YOUR_ACCESS_TOKEN" \
  --header 'Content-Type: application/json' \
	--data '{
    "workspace_id": "'"$YOUR_WORKSPACE_ID"'",
    "payee_email": "[email protected]",
    "amount": 100,
    "description": "My first payout via the API"
  }')
check "lumanu: create with the continuation restored" "$out" '^\{"id":"[0-9a-f-]{36}","amount":100,"amount_denomination":"us_cents","description":"My first payout via the API","due_date":null,"invoice_number":[0-9]+,"vendor_status":"Awaiting signup"'
check "lumanu: ... answers 200" "$out" '^200$'

# --- Lumyri -------------------------------------------------------------------
ACCESS_TOKEN=$LUMYRI_ACCESS_TOKEN
BASE=$LUMYRI_BASE_URL

out=$(curl -s $CURL_STATUS --location --request POST "$BASE/payments/cards" \
--header "Authorization: Bearer $ACCESS_TOKEN" \
--header 'Content-Type: application/json' \
--data-raw '{
"isDefault": true,
"addressInfo": {
"streetAddress": "new york city",
"firstName": "Clayton",
"lastName": "Bailey",
"aptNumber": "1000",
"country": "USA",
},
"info": {
"cardName": "Clayton Bailey",
"cardNumber": "4242424242424242",
"expMonth": 1,
"expYear": 2025,
"cvv": "123",
"country": "USA"
}
}')
check "lumyri: create card as written: 400 at the trailing comma" "$out" '"statusCode":400.*line 9'

out=$(curl -s $CURL_STATUS --location --request GET "$BASE/payments/cards" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: get list of cards" "$out" '^\[\{"id":"[0-9a-f-]{36}","companyId":"956865a9-b9f7-4198-87eb-10b4f0f411c9"'
check "lumyri: ... answers 200" "$out" '^200$'

CARD_ID=1244ff21-7bfb-4a56-b4bb-44f11934d78d
out=$(curl -s $CURL_STATUS --location --request PUT "$BASE/payments/cards/$CARD_ID" \
--header "Authorization: Bearer $ACCESS_TOKEN" \
--header 'Content-Type: application/json' \
--data-raw '{
"isDefault": false,
"info": {
"expMonth": 12,
"expYear": 2026
}
}')
check "lumyri: update card information" "$out" '^\{"id":"1244ff21-7bfb-4a56-b4bb-44f11934d78d",.*"expMonth":12'
check "lumyri: ... answers 200" "$out" '^200$'

# The document's delete example has no host at all ('/payments/cards/$CARD_ID'):
# swapping in the base URL is the only way to run it.
out=$(curl -s $CURL_STATUS --location --request DELETE "$BASE/payments/cards/$CARD_ID" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: delete card method answers 204" "$out" '^204$'

out=$(curl -s $CURL_STATUS --location --request GET "$BASE/payments/billing-information" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: get billing information" "$out" '"firstName":"Clayton","lastName":"Bailey"'

out=$(curl -s $CURL_STATUS --location --request PUT "$BASE/payments/billing-information" \
--header "Authorization: Bearer $ACCESS_TOKEN" \
--header 'Content-Type: application/json' \
--data-raw '{
"firstName": "Clayton",
"lastName": "Bill",
"phoneNumber": "(714) 555-444",
}')
check "lumyri: update billing as written: 400 at the trailing comma" "$out" '"statusCode":400.*line 5'

out=$(curl -s $CURL_STATUS --location --request GET "$BASE/payments/orders?page=1&perPage=1" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: get a list of invoices" "$out" '^\{"total":[0-9]+,"page":1,"perPage":1,"data":\[\{"id":"4e872310-58fb-40bf-9494-68731fb3d6b4"'

INVOICE_ID=4e872310-58fb-40bf-9494-68731fb3d6b4
out=$(curl -s $CURL_STATUS --location --request PUT "$BASE/payments/orders/$INVOICE_ID/pay" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: charge invoice" "$out" '"status":"Succeeded".*"paymentId":"[0-9a-f-]{36}"'
out=$(curl -s $CURL_STATUS --location --request PUT "$BASE/payments/orders/$INVOICE_ID/pay" \
--header "Authorization: Bearer $ACCESS_TOKEN")
check "lumyri: charging it again is 409" "$out" '^409$'

# --- Lumen (the document shows requests, not curl; written as curl) -------------

auth="Authorization: Bearer $LUMEN_API_KEY"
check "lumen: get payment method" "$(curl -s "$LUMEN_BASE_URL/payment-methods/pm_123" -H "$auth")" '^\{"paymentMethod":\{"id":"pm_123","provider":"stripe"'
check "lumen: create payment method" "$(curl -s $CURL_STATUS -X POST "$LUMEN_BASE_URL/payment-methods" -H "$auth" -H 'Content-Type: application/json' -d '{
"customerId": "cust_123",
"provider": "stripe",
"paymentType": "card",
"externalPaymentMethodId": "pm_ext_123",
"status": "active",
"cardBrand": "visa",
"cardLastFour": "4242"
}')" '^201$'
check "lumen: get all payments of a customer" "$(curl -s "$LUMEN_BASE_URL/payments?customerId=cust_456" -H "$auth")" '^\{"payments":\[\{"id":"pay_123","amountCents":5000'
check "lumen: get payment by id" "$(curl -s "$LUMEN_BASE_URL/payments/pay_123" -H "$auth")" '"customer":\{"id":"cust_456","name":"John Doe"\}'

echo "curl examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
