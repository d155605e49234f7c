import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

// Serials of the test fixtures (serial_tracking_pos/tests/common.py).
const GOOD = "490154203237518";
const STOLEN = "354672081130922";
const SOLD_TO_CUSTOMER = "012345678901237";

function typeSerial(serial) {
    return {
        content: `type serial ${serial}`,
        trigger: ".modal .list-line-input:first",
        run: `edit ${serial}`,
    };
}

function payCash() {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Cash"),
        PaymentScreen.clickValidate(),
        ReceiptScreen.receiptIsThere(),
    ].flat();
}

registry.category("web_tour.tours").add("serial_tracking_pos_refuse_and_sell", {
    steps: () =>
        [
            Chrome.startPoS(),
            ProductScreen.clickDisplayedProduct("Phone P1"),
            // A stolen unit is refused with its reason; the popup stays open.
            typeSerial(STOLEN),
            Dialog.confirm(),
            {
                content: "the refusal names the reason",
                trigger: ".modal .o_serial_pos_refusal:contains('reported stolen')",
            },
            // A good serial is accepted and the phone is sold.
            typeSerial(GOOD),
            {
                content: "the refusal goes away when the serial is changed",
                trigger: ".modal:not(:has(.o_serial_pos_refusal))",
            },
            Dialog.confirm(),
            {
                content: "the order line carries the serial",
                trigger: `.orderline .lot-number:contains('${GOOD}'), .orderline:contains('${GOOD}')`,
            },
            payCash(),
            {
                content: "the receipt prints the serial and the end of its warranty",
                trigger: `.pos-receipt:contains('${GOOD}'):contains('warranty until')`,
            },
        ].flat(),
});

registry.category("web_tour.tours").add("serial_tracking_pos_sell_to_customer", {
    steps: () =>
        [
            Chrome.startPoS(),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Alice Martin"),
            ProductScreen.clickDisplayedProduct("Phone P1"),
            typeSerial(SOLD_TO_CUSTOMER),
            Dialog.confirm(),
            {
                content: "the order line carries the serial",
                trigger: `.orderline:contains('${SOLD_TO_CUSTOMER}')`,
            },
            payCash(),
            ReceiptScreen.clickNextOrder(),
            // The warranty lookup of the till finds the unit with its new owner.
            { content: "open the actions", trigger: ".control-buttons .more-btn", run: "click" },
            {
                content: "open the warranty lookup",
                trigger: ".modal .o_serial_pos_lookup",
                run: "click",
            },
            {
                content: "type the serial",
                trigger: ".modal textarea",
                run: `edit ${SOLD_TO_CUSTOMER}`,
            },
            Dialog.confirm("Apply"),
            {
                content: "the unit, its coverage and its owner are shown",
                trigger: ".modal:contains('Owner: Alice Martin'):contains('Covered until')",
            },
            Dialog.confirm(),
        ].flat(),
});
