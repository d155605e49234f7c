/** @odoo-module **/
import {registry} from "@web/core/registry";

// From a delivery of a pistol to a non-licensee to its line in the firearms book.
registry.category("web_tour.tours").add("serial_register_tour", {
    steps: () => [
        {
            content: "A firearm to a non-licensee: the Form 4473 number is asked",
            trigger: ".o_field_widget[name=serial_transaction_ref] input",
            run: "edit 4473-TOUR",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "The delivery wrote its line in the book",
            trigger: "button[name=action_serial_register_entries]",
            run: "click",
        },
        {
            content: "Open the disposition line",
            trigger: ".o_data_row:contains('TOUR-P-1'):contains('Disposition') td[name=serial]",
            run: "click",
        },
        {
            content: "The line keeps the Form 4473 number and the transferee",
            trigger:
                ".o_form_view:has(.o_field_widget[name=transaction_ref]:contains('4473-TOUR')):has(.o_field_widget[name=partner_name]:contains('Alice Martin'))",
        },
    ],
});
