import { registry } from "@web/core/registry";

// The owner: My Account -> My Units -> the unit -> offer it to a new owner.
registry.category("web_tour.tours").add("serial_tracking_transfer_offer_tour", {
    steps: () => [
        {
            content: "Open My Units from the portal home",
            trigger: "a[href='/my/units']",
            run: "click",
        },
        {
            content: "Open the unit",
            trigger: ".o_serial_unit_row a:contains(MINE)",
            run: "click",
        },
        {
            content: "The unit's warranty is shown",
            trigger: "h5:contains(Warranty)",
        },
        {
            content: "Name the new owner",
            trigger: "input[name=to_name]",
            run: "edit Dana Buyer",
        },
        {
            content: "Give their email",
            trigger: "input[name=to_email]",
            run: "edit dana@example.com",
        },
        {
            content: "Send the transfer request",
            trigger: ".o_serial_transfer_submit",
            run: "click",
        },
        {
            content: "The request waits for the recipient",
            trigger: ".o_serial_transfer_sent",
        },
        {
            content: "It can still be cancelled",
            trigger: ".o_serial_transfer_pending:contains(Dana Buyer) button:contains(Cancel)",
        },
    ],
});

// The recipient follows the emailed link and accepts.
registry.category("web_tour.tours").add("serial_tracking_transfer_accept_tour", {
    steps: () => [
        {
            content: "The offer names the unit",
            trigger: ".o_serial_transfer_accept:contains(MINE)",
        },
        {
            content: "Accept the transfer",
            trigger: ".o_serial_transfer_accept_button",
            run: "click",
        },
        {
            content: "The unit is now ours",
            trigger: ".o_serial_transfer_done",
        },
        {
            content: "It is listed in My Units",
            trigger: ".o_serial_transfer_done a[href='/my/units']",
            run: "click",
        },
        {
            content: "With its serial number",
            trigger: ".o_serial_unit_row a:contains(MINE)",
        },
    ],
});
